"""CI's shifted-date run really runs a year ahead (see .ci/date_shift.py)."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

SHIFT = os.environ.get("TEST_DATE_SHIFT_DAYS")


@pytest.mark.skipif(not SHIFT, reason="only in CI's shifted-date run (TEST_DATE_SHIFT_DAYS)")
def test_the_wall_clock_is_moved_and_the_file_system_is_not(tmp_path: Path) -> None:
    """A file written now has the kernel's real time; Python's clock is the shifted one."""
    written = tmp_path / "now"
    written.write_text("")
    real = written.stat().st_mtime

    shifted = datetime.now(UTC).timestamp()

    assert shifted - real == pytest.approx(int(SHIFT or 0) * 86400, abs=120)
