"""Ingest: read input files into volumes of papers with clean text and honest offsets.

``read_inputs`` accepts files and folders (recursively) of .txt, .md, .pdf, .docx and .html. The kind
of each document is recognised: a text with a contents table is a compiled volume and is split into
papers; a text quoting several speakers is a report; anything else is one paper. Papers found loose
in the same folder form one volume. Each input that cannot be read yields one ``IngestError`` and
the others are still read.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Paper, Volume
from .document import read_document, slug
from .errors import IngestError
from .kind import VOLUME, document_kind
from .metadata import SIDECAR_SUFFIXES, Metadata
from .sources import DEFAULT_MAX_BYTES, SUPPORTED_SUFFIXES, read_source
from .volume import split_volume

__all__ = ["DEFAULT_MAX_BYTES", "SUPPORTED_SUFFIXES", "IngestError", "IngestResult", "read_inputs", "slug"]

log = logging.getLogger(__name__)


@dataclass
class IngestResult:
    volumes: list[Volume] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)

    @property
    def papers(self) -> list[Paper]:
        return [paper for volume in self.volumes for paper in volume.papers]


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _files(root: Path) -> list[Path]:
    """The documents under a folder (hidden files and sidecars skipped), or the file itself."""
    if not root.is_dir():
        return [root]
    files, skipped = [], 0
    for path in sorted(root.rglob("*")):
        if not path.is_file() or _hidden(path, root):
            continue
        if path.suffix.lower() in SUPPORTED_SUFFIXES:
            files.append(path)
        elif path.suffix.lower() not in SIDECAR_SUFFIXES:
            skipped += 1
    if skipped:
        log.info("%s: skipped %d files that are not documents (%s)", root, skipped, ", ".join(SUPPORTED_SUFFIXES))
    return files


def read_inputs(
    paths: list[Path],
    *,
    contributor: str | None = None,
    volume: str | None = None,
    fail_fast: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> IngestResult:
    """Read every input path (files or folders) into volumes; collect one error per unreadable file.

    ``volume`` and ``contributor`` override what metadata says (``contributor`` applies to single
    papers; a compiled volume names each paper's contributor in its contents table).
    """
    result = IngestResult()
    loose: dict[str, Volume] = {}
    for root in paths:
        if not root.exists():
            result.errors.append(IngestError(str(root), "no such file or directory"))
        else:
            files = _files(root)
            if not files:
                result.errors.append(IngestError(str(root), f"folder holds no documents ({', '.join(SUPPORTED_SUFFIXES)})"))
            for path in files:
                try:
                    _read_one(path, root, result, loose, contributor=contributor, volume=volume, max_bytes=max_bytes)
                except IngestError as error:
                    result.errors.append(error)
                    if fail_fast:
                        break
        if fail_fast and result.errors:
            break
    result.volumes.extend(loose.values())
    _drop_duplicate_volumes(result)
    return result


def _read_one(
    path: Path,
    root: Path,
    result: IngestResult,
    loose: dict[str, Volume],
    *,
    contributor: str | None,
    volume: str | None,
    max_bytes: int,
) -> None:
    source = read_source(path, max_bytes=max_bytes)
    meta: Metadata = source.meta
    kind = document_kind(source.text, meta.kind)
    volume_id = volume or meta.volume
    if kind == VOLUME:
        vid = slug(volume_id or path.stem)
        papers = split_volume(source.text, volume_id=vid, source=str(path), page_of_line=source.page_of_line)
        title = meta.volume_title or meta.title or source.title_hint or path.stem
        result.volumes.append(Volume(vid, title, papers, meta.date, str(path)))
        return
    group = root if root.is_dir() else path.parent
    vid = slug(volume_id or group.resolve().name or "papers")
    target = loose.get(vid)
    paper = read_document(
        source, meta, volume_id=vid, paper_id=_paper_id(vid, path, group, target), number=len(target.papers) + 1 if target else 1,
        kind=kind, contributor=contributor,
    )
    if target is None:
        target = loose[vid] = Volume(vid, meta.volume_title or vid, [], None, str(group))  # papers carry their own dates
    target.papers.append(paper)


def _paper_id(volume_id: str, path: Path, group: Path, volume: Volume | None) -> str:
    """A loose paper's id, from its file's path in its folder (without the suffix unless another file
    has the same name), so that adding or removing a file changes no other paper's IRIs."""
    taken = {paper.id for paper in volume.papers} if volume else set()
    relative = path.relative_to(group) if path.is_relative_to(group) else Path(path.name)
    for name in (str(relative.with_suffix("")), str(relative)):
        candidate = f"{volume_id}-{slug(name)}"
        if candidate not in taken:
            return candidate
    raise IngestError(str(path), f"paper id {candidate!r} is already taken by another file of the folder")


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
