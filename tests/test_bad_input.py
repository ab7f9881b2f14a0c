"""Bad input: every file that cannot be read gets one line naming it and the cause; the rest is built.

The broken fixtures are made by scripts/make_fixtures.py (tests/data/broken/); the huge file is a
sparse file made here, so nothing large is committed.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph

from graph.assemble.vocab import PKG
from graph.atomic import build_lock
from graph.ingest import read_inputs
from graph.resources import bundled_volume

from .conftest import DATA

BROKEN = DATA / "broken"
FORMATS = DATA / "formats"
POLICYKG = Path(sys.executable).with_name("policykg")

# Each broken fixture and words its one-line message must contain.
EXPECTED_CAUSES = {
    "binary.txt": "binary file",
    "damaged.docx": "corrupt Word document",
    "empty.txt": "empty file",
    "encrypted.pdf": "encrypted PDF",
    "garbled.txt": "not UTF-8",
    "image.pdf": "is a PNG image",
    "legacy.docx": "legacy Office file",
    "mismatched-volume.txt": "contents table does not match the body",
    "notes.pdf": "is not a PDF",
    "scanned.pdf": "needs OCR",
    "truncated.pdf": "corrupt PDF",
}


def test_every_broken_fixture_is_listed() -> None:
    assert sorted(p.name for p in BROKEN.iterdir()) == sorted(EXPECTED_CAUSES)


@pytest.mark.parametrize("name", sorted(EXPECTED_CAUSES))
def test_broken_file_gives_one_error_naming_file_and_cause(name: str) -> None:
    result = read_inputs([BROKEN / name])
    assert not result.papers
    (error,) = result.errors
    message = str(error)
    assert message.startswith(f"{BROKEN / name}: ")
    assert EXPECTED_CAUSES[name] in message
    assert "\n" not in message and len(message) < 300


def test_missing_path_unsupported_type_and_empty_folder(tmp_path: Path) -> None:
    sheet = tmp_path / "figures.xlsx"
    sheet.write_bytes(b"PK\x03\x04 not really")
    empty = tmp_path / "nothing-here"
    empty.mkdir()
    result = read_inputs([tmp_path / "missing.txt", sheet, empty])
    messages = [str(e) for e in result.errors]
    assert messages[0] == f"{tmp_path / 'missing.txt'}: no such file or directory"
    assert messages[1].startswith(f"{sheet}: unsupported file type '.xlsx'")
    assert messages[2].startswith(f"{empty}: folder holds no documents")


def test_huge_file_refused_before_it_is_read(tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as handle:  # sparse: 60 MiB on paper, nothing on disk
        handle.truncate(60 * 2**20)
    (error,) = read_inputs([huge]).errors
    assert str(error) == f"{huge}: file is 60 MiB, over the 50 MiB limit; split it or raise --max-size"
    small = tmp_path / "small.md"
    small.write_text("# Title\n\n" + "Some words here. " * 100, encoding="utf-8")
    (error,) = read_inputs([small], max_bytes=1024).errors
    assert str(error).startswith(f"{small}: file is 1.7 KiB, over the 1 KiB limit")
    assert not read_inputs([small], max_bytes=2048).errors


def test_utf16_with_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "utf16.txt"
    path.write_bytes("A Title\n\nThe café opens on Monday.\n".encode("utf-16"))
    result = read_inputs([path])
    assert not result.errors
    assert result.papers[0].text == "The café opens on Monday."


def test_bad_front_matter_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.md"
    path.write_text("---\ntitle: [unclosed\n---\n# T\n\nBody.\n", encoding="utf-8")
    (error,) = read_inputs([path]).errors
    assert str(error).startswith(f"{path} (front matter): YAML metadata does not parse")
    assert "\n" not in str(error)


def test_other_inputs_still_read_and_fail_fast_stops(tmp_path: Path) -> None:
    result = read_inputs([BROKEN, FORMATS])
    assert len(result.errors) == len(EXPECTED_CAUSES)
    assert len(result.papers) == 8
    stopped = read_inputs([BROKEN, FORMATS], fail_fast=True)
    assert len(stopped.errors) == 1 and not stopped.papers


# ------------------------------------------------------------------------------------ the CLI


def _run(*args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(POLICYKG), *args], capture_output=True, text=True, timeout=timeout)


def _error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error:")]


def test_mixed_folder_builds_in_one_command(tmp_path: Path) -> None:
    """The issue's "done when": the bundled volume, a PDF, a DOCX, an HTML page and broken files."""
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    volume = bundled_volume()
    for path in [volume, volume.with_suffix(".toml"), *FORMATS.iterdir(), *BROKEN.iterdir()]:
        shutil.copy(path, mixed / path.name)
    out = tmp_path / "out"
    run = _run("build", str(mixed), "--out", str(out))
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    errors = _error_lines(run.stderr)
    assert len(errors) == len(EXPECTED_CAUSES), run.stderr
    for name, cause in EXPECTED_CAUSES.items():
        (line,) = [line for line in errors if line.startswith(f"error: {mixed / name}: ")]
        assert cause in line
    assert "papers:  30" in run.stdout  # 22 of the volume, 2 of the PDF volume, 6 single documents
    graph = Graph().parse(out / "graph.ttl", format="turtle")
    titles = {str(t) for t in graph.objects(None, PKG.fullText)}
    assert len(titles) == 30
    quotes_by_paper = {str(graph.value(e, PKG.statedIn)).rsplit("/", 1)[-1] for e in graph.subjects(PKG.quote, None)}
    assert {"cmia-19-01", "mixed-battery-recycling", "mixed-green-ports", "mixed-smart-grid", "ref-2025-01"} <= quotes_by_paper


def test_fail_fast_stops_at_the_first_broken_file(tmp_path: Path) -> None:
    run = _run("build", str(BROKEN), str(FORMATS), "--fail-fast", "--out", str(tmp_path / "out"))
    assert run.returncode == 1
    assert len(_error_lines(run.stderr)) == 2  # the broken file, then "nothing was built"
    assert _error_lines(run.stderr)[-1] == "error: nothing was built: no input could be read"
    assert not (tmp_path / "out" / "graph.ttl").exists()


def test_output_folder_that_cannot_be_written(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    run = _run("build", str(FORMATS / "water-policy.md"), "--out", str(blocker / "out"))
    assert run.returncode == 1
    assert run.stderr.strip().splitlines() == [
        f"error: {blocker / 'out'}: output folder cannot be written: Not a directory"
    ]


def test_huge_file_through_the_cli_is_one_line(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    with open(big, "wb") as handle:
        handle.truncate(3 * 2**20)
    run = _run("build", str(big), "--max-size", "2", "--out", str(tmp_path / "out"))
    assert run.returncode == 1
    assert _error_lines(run.stderr)[0] == f"error: {big}: file is 3 MiB, over the 2 MiB limit; split it or raise --max-size"


def test_second_build_refuses_then_waits_for_the_lock(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with build_lock(out):
        run = _run("build", str(FORMATS / "water-policy.md"), "--out", str(out))
        assert run.returncode == 1
        (line,) = run.stderr.strip().splitlines()
        assert line.startswith(f"error: {out}: another build is writing here (process {os.getpid()}, started ")
        assert line.endswith("let it finish, or pass --wait SECONDS")
        assert not (out / "graph.ttl").exists()

    # A build given --wait says that it waits, and goes on as soon as the lock is free.
    with build_lock(out):
        waiting = subprocess.Popen(
            [str(POLICYKG), "build", str(FORMATS / "water-policy.md"), "--out", str(out), "--wait", "600", "--store", "memory"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        assert waiting.stderr is not None
        first_line = waiting.stderr.readline()
        assert "another build is writing here" in first_line and "waiting for it" in first_line
        assert waiting.poll() is None
        assert not (out / "graph.ttl").exists()
    stdout, stderr = waiting.communicate(timeout=900)
    assert waiting.returncode == 0, stderr
    assert len(Graph().parse(out / "graph.ttl", format="turtle")) > 0
