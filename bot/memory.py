"""A serving process's memory: glibc's malloc arenas, its free pages, and start-up's heap.

glibc gives each thread that allocates under contention an arena of its own, up to eight per
core, and an arena keeps what it once held. A worker runs some thirty threads (the server's,
the guard's listener pool, the outbox's senders), so its resident memory kept creeping up over
thousands of requests although Python's own allocations did not grow (tracemalloc showed no
growth): each arena reached its own high-water mark in turn. Python's small objects come from
its own allocator, and the GIL lets one thread run Python at a time, so a single arena costs
no measurable speed (`docs/benchmarks.md`).

The limit is set with `mallopt` in the gunicorn master before it forks, so every worker starts
with it; the `MALLOC_ARENA_MAX` environment variable would need the process restarted to take
effect. An operator who sets `MALLOC_ARENA_MAX` keeps their own value.

Start-up (every feature's listeners, the ORM's mappings, Slack's and Bolt's modules) leaves
hundreds of thousands of objects that live as long as the process. Python's cyclic collector
walked all of them in each full collection, a pause of tens of milliseconds that fell on
whichever requests were running: with eight clients the modal's p99 was 85 ms against bare
Bolt's 45 ms, and 53 ms once they were frozen out of its reach (`freeze_startup_heap`).

Even with two arenas (the cap until then), a worker kept about 3 MB more after 10,000 requests
than after 1,000, most of it free pages that glibc would not hand back because memory still in
use lay above them. Every serving process trims its heap every few seconds
(`start_heap_trimmer`): the growth measured by `make bench` went to about 2 MB. A trim walks
the free chunks of the heap holding each arena's lock, 7-20 ms for a worker-sized heap, which
is why it runs every few seconds rather than after each request.

What was left grew in glibc's per-thread caches: each thread keeps up to seven freed chunks of
each small size for itself, out of every other thread's reach and out of the trim's, and a
worker has some thirty threads. `serve` starts itself again once with those caches off
(`without_thread_caches`), and the worker allocates from one arena: over requests
1,000-10,000 the heap in use stopped growing, and `make bench`'s growth went from 2.75 MB to
0.14-0.79 MB (1.9-2.5 MB with the caches off and two arenas). Starting twice costs about a
second of start-up (the first process has imported everything and checked the token), and
malloc without the caches costs the worker some CPU: 0.2-0.4 ms per modal opened, within
Slack's budget by far (`docs/benchmarks.md`).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
import os
import platform
import sys
import threading
import time
from collections.abc import Mapping
from functools import cache

log = logging.getLogger(__name__)

MALLOC_ARENAS = 1
_M_ARENA_MAX = -8  # from glibc's malloc.h


def limit_malloc_arenas(arenas: int = MALLOC_ARENAS) -> int | None:
    """Cap glibc's malloc arenas for this process and the workers it forks.

    Returns the cap applied, or None when there is nothing to do: not glibc, or the operator
    chose with `MALLOC_ARENA_MAX`.
    """
    if os.environ.get("MALLOC_ARENA_MAX") or not _is_glibc():
        return None
    libc = _libc()
    try:
        applied = libc is not None and bool(libc.mallopt(_M_ARENA_MAX, arenas))
    except AttributeError:
        applied = False
    if not applied:
        log.warning("memory.arena_limit_unavailable")
        return None
    return arenas


def freeze_startup_heap() -> int:
    """Put every object alive now beyond the cyclic collector; how many objects that was.

    Called once a process is built and before it serves. Objects made later are collected as
    before; a frozen one is still freed when its last reference goes, only a cycle among
    start-up objects would stay (there are none to speak of: they live until exit).
    """
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


TRIM_SECONDS = 5.0
TUNABLES = "GLIBC_TUNABLES"
THREAD_CACHE_OFF = "glibc.malloc.tcache_count=0"


def without_thread_caches(environ: Mapping[str, str]) -> dict[str, str] | None:
    """`environ` with glibc's per-thread malloc caches turned off; None if nothing is to change.

    glibc reads its tunables only when a program starts, so they can be given only to a new
    process. Nothing changes off glibc, or when `GLIBC_TUNABLES` already says how big the
    caches are (the operator's choice, or this process is the one started with it); other
    tunables an operator set are kept.
    """
    chosen = environ.get(TUNABLES, "")
    if not _is_glibc() or "glibc.malloc.tcache_count" in chosen:
        return None
    return {**environ, TUNABLES: f"{chosen}:{THREAD_CACHE_OFF}" if chosen else THREAD_CACHE_OFF}


def restart_without_thread_caches() -> None:
    """Replace this process with the same command, glibc's per-thread caches off; or return.

    Returns only when there is nothing to do (`without_thread_caches`). Called by HTTP
    `serve` before it opens a port or a database: the new process runs the same command line
    from the start.
    """
    environ = without_thread_caches(os.environ)
    if environ is not None:
        sys.stdout.flush()
        sys.stderr.flush()
        os.execve(sys.executable, [sys.executable, *sys.orig_argv[1:]], environ)


@cache
def _is_glibc() -> bool:
    """Whether this interpreter runs on glibc, asked once: the answer reads its binary."""
    return platform.libc_ver()[0] == "glibc"


@cache
def _libc() -> ctypes.CDLL | None:
    """glibc, loaded once: finding it may run `ldconfig`."""
    if not _is_glibc():
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None


def trim_heap() -> bool:
    """Hand every free page of glibc's heap back to the system; False where there is no glibc.

    What a burst of requests frees stays resident: glibc returns memory only from the top of
    each arena, and the memory of one request lies among that of others still in use, so the
    free pages in the middle stay mapped (a worker's resident memory crept up by 3 MB over
    9,000 requests while Python's own allocations did not grow). `malloc_trim(0)` releases
    every whole free page of every arena; nothing in use moves.
    """
    libc = _libc()
    if libc is None or not hasattr(libc, "malloc_trim"):
        return False
    libc.malloc_trim(0)
    return True


def start_heap_trimmer(every: float = TRIM_SECONDS) -> threading.Thread | None:
    """Trim the heap (`trim_heap`) every `every` seconds in a daemon thread; None without glibc.

    A trim holds each arena's lock for 7-20 ms on a worker-sized heap, so it runs every few
    seconds, not after each request; memory freed by a burst goes back within seconds of it.
    """
    if not trim_heap():
        return None

    def trim() -> None:
        while True:
            time.sleep(every)
            trim_heap()

    thread = threading.Thread(target=trim, name="heap-trim", daemon=True)
    thread.start()
    return thread
