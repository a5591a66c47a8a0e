"""Memory for a computation's arrays: glibc's malloc asked to keep the pages numpy frees.

Every operation makes new arrays and lets go of the ones it no longer needs. glibc's malloc gives
an array of more than 128 KiB pages of its own (mmap), raising that threshold to the largest size
freed so far, and hands the top of its heap back to the kernel once twice that is free there; the
next operation's array then gets fresh pages, and writing each is a page fault. A Hessian of 300
variables (stacks of 300×300 numbers, 720 KB each) spent three quarters of its time so. Asked to
serve arrays of up to 32 MiB from its heap and to keep up to 128 MiB free at its top, malloc
reuses the pages numpy has just freed, and the same Hessian takes a quarter of the time: what
torch's own CPU allocator, which keeps freed blocks, does for it. Arrays of more than 32 MiB are
mapped and unmapped as before, so the peak memory of large arrays does not change.

A process whose MALLOC_* environment variables tune malloc already is left as it is, and so is
one whose C library is not glibc.
"""

from __future__ import annotations

import ctypes  # (numpy imports it: no cost here)
import os
import sys

MMAP_THRESHOLD = 32 << 20  # bytes: glibc's largest on 64-bit systems
TRIM_THRESHOLD = 128 << 20
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # mallopt's parameters (malloc.h)


def keep_freed_memory() -> bool:
    """Tune glibc's malloc as the module says; whether it was done."""
    if not sys.platform.startswith("linux") or any(k.startswith("MALLOC_") for k in os.environ):
        return False
    try:
        libc = ctypes.CDLL(None)
        libc.gnu_get_libc_version  # glibc's own: musl's mallopt does nothing
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)
                and mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD))
