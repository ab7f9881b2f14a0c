"""Shared fixtures. The bundled volume is built once per test session with the real spaCy model."""
from __future__ import annotations

from pathlib import Path

import pytest

from graph.build import BuildResult, build

DATA = Path(__file__).parent / "data"
GOLD = DATA / "gold"


@pytest.fixture(scope="session")
def bundled_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The bundled volume built into a temporary output folder (shared, read-only for tests)."""
    return build(None, tmp_path_factory.mktemp("bundled"))


@pytest.fixture(scope="session")
def bundled_papers(bundled_build: BuildResult):
    assert bundled_build.corpus is not None
    return [paper for volume in bundled_build.corpus.volumes for paper in volume.papers]


def visible_outputs(out: Path) -> dict[str, bytes]:
    """Every output file a user reads (not the store's internals, the cache, or hidden files)."""
    files = {}
    for path in sorted(out.rglob("*")):
        relative = path.relative_to(out)
        if path.is_file() and relative.parts[0] not in ("store", "cache") and not any(p.startswith(".") for p in relative.parts):
            files[relative.as_posix()] = path.read_bytes()
    return files
