"""Every Python process of a test run lives N days ahead, for CI's shifted-date run.

`.ci/run` copies this file into the virtualenv's site-packages with a `.pth` line that imports
it, so each interpreter started from `.venv` (pytest, and the `ccsn-bot serve` processes the
tests launch) moves its wall clock by `TEST_DATE_SHIFT_DAYS` when that variable is set, and
does nothing otherwise. time-machine patches only the wall clock (`time.time`, `datetime.now`,
...); the monotonic clock, and with it every timeout and timed wait, stays real. (libfaketime
also moves the monotonic clock, and Python's timed waits then never time out.)

A ticking travel starts its clock at the first time it is asked for, not at `start()`, so two
processes that first asked at different moments would disagree by that much: a message the
web process queued "now" was not yet due for `serve`'s background process, a fraction of a
second behind. Asking at once makes every process's clock the real one plus the shift.
"""

import os

_DAYS = os.environ.get("TEST_DATE_SHIFT_DAYS")
if _DAYS:
    import time
    from datetime import UTC, datetime, timedelta

    import time_machine

    _TRAVEL = time_machine.travel(datetime.now(UTC) + timedelta(days=int(_DAYS)), tick=True)
    _TRAVEL.start()
    time.time()  # start ticking now (see above)
