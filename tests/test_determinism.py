"""Determinism: the same input gives byte-identical sorted N-Triples and identical reports.

Two builds from scratch (no extraction cache, fresh output folders) of the same documents; the
second reads them from a copy in another folder, so neither paths nor file times can leak in.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import DATA, visible_outputs

POLICYKG = Path(sys.executable).with_name("policykg")


def _build(inputs: list[Path], out: Path) -> dict[str, bytes]:
    run = subprocess.run([str(POLICYKG), "build", *map(str, inputs), "--out", str(out), "--no-cache"],
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr
    return visible_outputs(out)


def test_two_builds_of_the_same_input_are_identical(tmp_path: Path) -> None:
    from graph.resources import bundled_volume

    volume = bundled_volume()
    first_inputs = [volume, DATA / "formats"]
    copy = tmp_path / "copy"
    shutil.copytree(DATA / "formats", copy / "formats")
    for path in (volume, volume.with_suffix(".toml")):
        shutil.copy(path, copy / path.name)
    second_inputs = [copy / volume.name, copy / "formats"]

    first = _build(first_inputs, tmp_path / "first")
    second = _build(second_inputs, tmp_path / "second")

    assert "graph.nt" in first and "graph.ttl" in first
    nt = first["graph.nt"].decode("utf-8").splitlines()
    assert nt == sorted(nt) and len(nt) > 1000 and "_:" not in first["graph.nt"].decode("utf-8")  # sorted, no blank nodes
    assert first["graph.nt"] == second["graph.nt"]
    reports = [name for name in first if name.startswith("report") or name.startswith("tables/")]
    assert reports, "the build wrote no report"
    assert sorted(first) == sorted(second)
    different = [name for name in first if first[name] != second[name]]
    assert different == []
