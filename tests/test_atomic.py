"""Nothing lost: outputs are replaced only when complete, one build writes at a time, and a build
killed at any moment (SIGKILL or SIGINT) leaves the previous outputs intact and readable.

The kill tests start real ``policykg build`` processes and kill them at moments read from their own
log lines and from the temporary files they create, not after guessed delays.
"""
from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from graph.atomic import LOCK_FILE, OutputError, build_lock, remove_stale_temporaries, write_atomic, write_atomic_stream
from graph.resources import bundled_volume

from .conftest import DATA, visible_outputs

POLICYKG = Path(sys.executable).with_name("policykg")
FORMATS = DATA / "formats"


# ------------------------------------------------------------------------------ write_atomic


def test_write_atomic_replaces_whole_file_with_normal_permissions(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "graph.ttl"
    write_atomic(target, "old")
    write_atomic(target, b"new bytes")
    assert target.read_bytes() == b"new bytes"
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask  # not mkstemp's private 0600
    assert [p.name for p in target.parent.iterdir()] == ["graph.ttl"]


def test_write_atomic_failure_keeps_old_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    write_atomic(target, "previous report")

    def fail_halfway(handle) -> None:  # noqa: ANN001
        handle.write(b"half a rep")
        raise KeyboardInterrupt  # as Ctrl-C would, in the middle of writing

    with pytest.raises(KeyboardInterrupt):
        write_atomic_stream(target, fail_halfway)
    assert target.read_text() == "previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_stale_temporaries_are_ours_only(tmp_path: Path) -> None:
    ours = tmp_path / "tables" / ".policies.csv.k3j_x9a2.tmp"
    ours.parent.mkdir()
    ours.write_text("half a table")
    theirs = [tmp_path / "CURRENT.tmp", tmp_path / ".x.tmp", tmp_path / "notes.tmp"]
    for path in theirs:
        path.write_text("not ours")
    assert remove_stale_temporaries(tmp_path) == [ours]
    assert all(path.exists() for path in theirs)


# ------------------------------------------------------------------------------- build lock


def test_lock_refuses_a_second_holder_and_names_the_first(tmp_path: Path) -> None:
    with build_lock(tmp_path):
        with pytest.raises(OutputError, match=rf"another build is writing here \(process {os.getpid()}, started "):
            with build_lock(tmp_path):
                pass
    with build_lock(tmp_path):  # released: free again
        pass


def test_lock_of_a_killed_process_is_released(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from pathlib import Path; from graph.atomic import build_lock\n"
         "with build_lock(Path(sys.argv[1])):\n    print('locked', flush=True); time.sleep(600)",
         str(tmp_path)],
        stdout=subprocess.PIPE, text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    with pytest.raises(OutputError):
        with build_lock(tmp_path):
            pass
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    with build_lock(tmp_path, wait=30):  # the OS dropped the dead process's lock
        assert (tmp_path / LOCK_FILE).exists()


# ------------------------------------------------------------------------- killing a build


def _store_quads(out: Path) -> int:
    store = ox.Store.read_only(str(out / "store"))
    return len(store)


def _assert_readable(out: Path) -> None:
    """Every output parses as what it claims to be."""
    assert len(Graph().parse(out / "graph.ttl", format="turtle")) > 0
    assert len(Graph().parse(out / "graph.nt", format="nt")) > 0
    for path in out.rglob("*.csv"):
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        assert rows and len({len(row) for row in rows}) == 1, path
    for path in out.rglob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))
    for path in out.rglob("*.html"):
        assert path.read_text(encoding="utf-8").rstrip().endswith("</html>"), path
    assert _store_quads(out) > 0


def _default_sigint() -> None:
    # A test run started in the background inherits SIGINT ignored, and the build would never see Ctrl-C.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start_build(out: Path, *inputs: Path, extra: tuple[str, ...] = ()) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(POLICYKG), "-v", "build", *map(str, inputs), "--out", str(out), *extra],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, preexec_fn=_default_sigint,
    )


def _wait_for_log(build: subprocess.Popen[str], needle: str) -> None:
    assert build.stderr is not None
    for line in build.stderr:
        if needle in line:
            return
    pytest.fail(f"the build ended (exit {build.wait()}) before logging {needle!r}")


def _temporaries(out: Path) -> list[Path]:
    """Temporary files of write_atomic in the folders a build writes (scanned cheaply: this runs in a tight loop)."""
    found = []
    for folder in (out, out / "tables", out / "cache", out / "cache" / "papers"):
        try:
            with os.scandir(folder) as entries:
                found.extend(Path(e.path) for e in entries if e.name.startswith(".") and e.name.endswith(".tmp"))
        except FileNotFoundError:
            continue
    return found


@pytest.fixture(scope="module")
def previous_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes], int]:
    """A finished build of the format fixtures: the outputs a killed build must not damage."""
    out = tmp_path_factory.mktemp("kill") / "out"
    run = subprocess.run([str(POLICYKG), "build", str(FORMATS), "--out", str(out)], capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr
    _assert_readable(out)
    return out, visible_outputs(out), _store_quads(out)


NEW_INPUTS = (bundled_volume(), FORMATS)  # different from the previous build's, so new outputs differ


def test_sigkill_and_sigint_during_extraction_leave_previous_outputs(previous_build) -> None:
    out, before, quads = previous_build
    for kill in (signal.SIGKILL, signal.SIGINT):
        build = _start_build(out, *NEW_INPUTS, extra=("--no-cache",))
        _wait_for_log(build, "read 30 papers")
        time.sleep(1.0)  # well inside the parse of 30 papers
        assert build.poll() is None
        build.send_signal(kill)
        code = build.wait(timeout=120)
        assert build.stderr is not None
        rest = build.stderr.read()
        if kill == signal.SIGINT:
            assert code == 130
            assert rest.strip().splitlines()[-1].startswith(f"error: {out}: build interrupted")
            assert "Traceback" not in rest
        else:
            assert code == -signal.SIGKILL
        assert visible_outputs(out) == before
        assert _store_quads(out) == quads
        _assert_readable(out)


def test_sigkill_while_writing_outputs_leaves_each_output_old_or_new_and_whole(previous_build) -> None:
    out, before, quads = previous_build
    observed: list[tuple[dict[str, bytes], dict[str, bytes], int]] = []  # (outputs before, after the kill, quads)
    caught_mid_write = 0
    for _attempt in range(4):
        build = _start_build(out, *NEW_INPUTS)
        _wait_for_log(build, "writing outputs into")
        # Kill the moment the new graph.ttl is being streamed into its temporary file.
        deadline = time.monotonic() + 120
        while build.poll() is None and time.monotonic() < deadline:
            if any(p.name.startswith(".graph.ttl.") for p in _temporaries(out)):
                build.send_signal(signal.SIGKILL)
                break
        build.wait(timeout=120)
        if build.returncode == -signal.SIGKILL and _temporaries(out):
            caught_mid_write += 1  # the killed build's half-written file is still there…
        _assert_readable(out)  # …but every output a user reads is whole
        current = visible_outputs(out)
        assert set(current) >= set(before)
        observed.append((before, current, _store_quads(out)))
        before = current
        if build.returncode == 0:
            break
    assert caught_mid_write >= 1, "no attempt caught the build while it was writing graph.ttl"

    # The next build takes the lock, sweeps the dead build's temporaries and finishes the job.
    done = subprocess.run([str(POLICYKG), "build", *map(str, NEW_INPUTS), "--out", str(out)],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    assert not _temporaries(out)
    final, final_quads = visible_outputs(out), _store_quads(out)
    # Builds are deterministic, so each killed build left every file as it was or as the finished
    # build writes it: never a third, damaged version. The store likewise, by its transaction.
    for previous, after_kill, quads_after_kill in observed:
        for name, data in after_kill.items():
            assert data in (previous.get(name), final.get(name)), name
        assert quads_after_kill in (quads, final_quads)
