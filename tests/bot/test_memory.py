"""`ccsn-bot serve` caps glibc's malloc arenas for its workers, unless the operator chose."""

from __future__ import annotations

import platform

import pytest

from bot.memory import MALLOC_ARENAS, limit_malloc_arenas

glibc = pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's malloc only")


@glibc
def test_the_arena_cap_is_applied_on_glibc(monkeypatch: pytest.MonkeyPatch) -> None:
    """With nothing chosen, the process (and what it forks) gets the bot's cap."""
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)

    assert limit_malloc_arenas() == MALLOC_ARENAS


def test_an_operators_malloc_arena_max_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """`MALLOC_ARENA_MAX` in the environment is glibc's to apply, not overridden."""
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")

    assert limit_malloc_arenas() is None
