"""`ccsn-bot serve`'s memory: arenas capped unless chosen, start-up heap frozen, heap trimmed."""

from __future__ import annotations

import gc
import platform
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.memory import (
    MALLOC_ARENAS,
    freeze_startup_heap,
    limit_malloc_arenas,
    trim_heap,
    without_thread_caches,
)

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


@pytest.fixture
def unfrozen() -> Iterator[None]:
    """Leave the test process's collector as it was found."""
    yield
    gc.unfreeze()


class Node:
    def __init__(self) -> None:
        self.me = self


def test_objects_alive_at_start_up_are_left_out_of_full_collections(unfrozen: None) -> None:
    """A full collection no longer walks what start-up built; what comes after it, it does."""
    built = Node()

    frozen = freeze_startup_heap()
    later = Node()
    tracked = {id(item) for item in gc.get_objects()}

    assert frozen > 1000
    assert id(built) not in tracked
    assert id(later) in tracked


def _resident_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


@glibc
def test_a_trim_gives_back_freed_memory_that_lies_among_memory_in_use() -> None:
    """Memory freed in the middle of the heap is resident until trimmed, then released.

    Blocks of a few KiB come from glibc's heap (Python's own allocator takes only small ones);
    every tenth stays alive, so what is freed lies between blocks still in use and glibc
    would not give it back by itself.
    """
    blocks = [bytearray(4000) for _ in range(20_000)]  # about 80 MB, touched
    kept = blocks[::10]
    del blocks
    before = _resident_kib()

    assert trim_heap()
    released = before - _resident_kib()

    assert released > 30_000  # KiB: most of the 72 MB freed
    assert len(kept) == 2000


@glibc
def test_serving_turns_glibcs_per_thread_caches_off_and_keeps_other_tunables() -> None:
    """The environment `serve` starts itself again with: caches off, an operator's rest kept."""
    plain = without_thread_caches({"PATH": "/usr/bin"})
    with_others = without_thread_caches({"GLIBC_TUNABLES": "glibc.malloc.mmap_threshold=65536"})

    assert plain == {"PATH": "/usr/bin", "GLIBC_TUNABLES": "glibc.malloc.tcache_count=0"}
    assert with_others == {
        "GLIBC_TUNABLES": "glibc.malloc.mmap_threshold=65536:glibc.malloc.tcache_count=0"
    }


def test_an_operators_thread_cache_size_is_left_alone() -> None:
    """A size already chosen (or the restarted process's own) means no second restart."""
    chosen = {"GLIBC_TUNABLES": "glibc.malloc.tcache_count=3"}

    assert without_thread_caches(chosen) is None
