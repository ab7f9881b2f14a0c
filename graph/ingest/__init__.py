"""Ingest: read input files into volumes of papers with clean text and honest offsets.

``read_inputs`` accepts files and folders. A text with a CONTENTS table is a compiled volume and is
split into papers; any other document is one paper. Papers found loose in the same folder form one
volume. Each input that cannot be read yields one ``IngestError`` and the others are still read.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..model import Paper, Volume
from .document import read_document, read_metadata, slug
from .errors import IngestError
from .volume import find_contents, split_volume

__all__ = ["IngestError", "IngestResult", "read_inputs", "slug"]

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown")


@dataclass
class IngestResult:
    volumes: list[Volume] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)

    @property
    def papers(self) -> list[Paper]:
        return [paper for volume in self.volumes for paper in volume.papers]


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)
    return [path]


def read_inputs(
    paths: list[Path], *, contributor: str | None = None, volume: str | None = None, fail_fast: bool = False
) -> IngestResult:
    """Read every input path (files or folders) into volumes; collect one error per unreadable file."""
    result = IngestResult()
    loose: dict[str, Volume] = {}
    for root in paths:
        if not root.exists():
            result.errors.append(IngestError(str(root), "no such file or directory"))
            if fail_fast:
                break
            continue
        for path in _files(root):
            try:
                text, meta = read_metadata(path)
                volume_id = volume or meta.get("volume")
                if find_contents(text.split("\n")) is not None:
                    vid = slug(volume_id or path.stem)
                    papers = split_volume(text, volume_id=vid, source=str(path))
                    result.volumes.append(
                        Volume(vid, meta.get("title") or path.stem, papers, meta.get("date"), str(path))
                    )
                    continue
                group = root if root.is_dir() else path.parent
                vid = slug(volume_id or group.resolve().name or "papers")
                target = loose.setdefault(vid, Volume(vid, meta.get("volume_title") or vid, [], meta.get("date"), str(group)))
                paper = read_document(
                    text, meta, path=path, volume_id=vid, number=len(target.papers) + 1, contributor=contributor
                )
                target.papers.append(paper)
            except IngestError as error:
                result.errors.append(error)
                if fail_fast:
                    return result
    result.volumes.extend(loose.values())
    _drop_duplicate_volumes(result)
    return result


def _drop_duplicate_volumes(result: IngestResult) -> None:
    """Two inputs with the same volume id would give two papers one IRI: keep the first, report the other."""
    kept: dict[str, Volume] = {}
    for volume in result.volumes:
        if volume.id in kept:
            result.errors.append(
                IngestError(volume.source, f"volume id {volume.id!r} is already used by {kept[volume.id].source}; give it another with --volume or a sidecar")
            )
            continue
        kept[volume.id] = volume
    result.volumes = list(kept.values())
