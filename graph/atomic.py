"""Write outputs so that a failed or killed build leaves the last good one in place.

Every output file is written to a hidden temporary file beside it, flushed to disk and renamed over
the old one, so a reader sees the old file or the new one, never half of one. One build at a time
may write into an output folder: ``build_lock`` holds ``OUT/.lock`` for the whole build, and a
second build waits for it or stops with a message saying who holds it. A killed build leaves its
temporary files behind; the next build that takes the lock removes them.
"""
from __future__ import annotations

import logging
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from filelock import FileLock, Timeout

log = logging.getLogger(__name__)

LOCK_FILE = ".lock"
OWNER_FILE = ".lock.owner"  # who holds the lock; apart from it, since waiting openers truncate the lock file
_TEMP_SUFFIX = ".tmp"
# What mkstemp names our temporaries: ".graph.ttl.k3j_x9a2.tmp". Other tools' files never match.
_OUR_TEMPORARY = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")


class OutputError(Exception):
    """The output folder cannot be written, or another build is writing it; ``str()`` is the one-line message."""


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, flush it to disk, then rename it over ``path``."""
    if not isinstance(data, (str, bytes)):
        raise TypeError(f"write_atomic writes str or bytes, not {type(data).__name__}")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    write_atomic_stream(path, lambda handle: handle.write(payload))


def write_atomic_stream(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Let ``write`` stream bytes into a temporary file beside ``path``, then rename it over ``path``.

    For large outputs (a serialised graph) nothing is built in memory first; until the rename,
    readers of ``path`` see the previous file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=_TEMP_SUFFIX)
    try:
        # mkstemp makes the file private (0600); outputs get the permissions any new file would have.
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    """Make a rename durable: the new directory entry reaches the disk, not only the file's bytes."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a directory; the rename itself is still atomic
    finally:
        os.close(fd)


def remove_stale_temporaries(out_dir: Path) -> list[Path]:
    """Delete the temporary files a killed build left under ``out_dir``. Call only while holding the lock."""
    removed = []
    for path in out_dir.rglob(f".*{_TEMP_SUFFIX}"):
        if path.is_file() and _OUR_TEMPORARY.match(path.name):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def prepare_output_dir(out_dir: Path) -> None:
    """Create ``out_dir`` and prove it writable, or raise ``OutputError`` naming the folder and the cause."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=out_dir, prefix=".write-test.", suffix=_TEMP_SUFFIX)
        os.close(fd)
        os.unlink(probe)
    except OSError as error:
        raise OutputError(f"{out_dir}: output folder cannot be written: {error.strerror or error}") from error


@contextmanager
def build_lock(out_dir: Path, *, wait: float = 0) -> Iterator[None]:
    """Hold the output folder's lock for a build.

    ``wait`` is how many seconds to wait for another build to finish (0: do not wait, negative:
    wait as long as it takes). The lock is an OS file lock, so a build killed with SIGKILL releases it.
    """
    prepare_output_dir(out_dir)
    lock = FileLock(out_dir / LOCK_FILE)
    try:
        try:
            lock.acquire(timeout=0)
        except Timeout:
            if wait == 0:
                raise
            log.warning("%s: another build is writing here%s; waiting for it", out_dir, _owner(out_dir))
            lock.acquire(timeout=wait)
    except Timeout:
        waited = f" after waiting {wait:g} s" if wait > 0 else ""
        raise OutputError(
            f"{out_dir}: another build is writing here{_owner(out_dir)}{waited}; let it finish, or pass --wait SECONDS"
        ) from None
    except OSError as error:
        raise OutputError(f"{out_dir}: cannot take the build lock: {error.strerror or error}") from error
    try:
        (out_dir / OWNER_FILE).write_text(f"{os.getpid()} {time.strftime('%Y-%m-%d %H:%M:%S')}\n", encoding="utf-8")
        remove_stale_temporaries(out_dir)
        yield
    finally:
        (out_dir / OWNER_FILE).unlink(missing_ok=True)
        lock.release()


def _owner(out_dir: Path) -> str:
    try:
        pid, started = (out_dir / OWNER_FILE).read_text(encoding="utf-8").split(" ", 1)
    except (OSError, ValueError):
        return ""
    return f" (process {pid}, started {started.strip()})"
