"""Metadata of an input: YAML (``---``) or TOML (``+++``) front matter, or a sidecar file beside it.

A sidecar has the input's name with ``.toml``, ``.yaml`` or ``.yml`` in place of its extension. Front
matter wins over the sidecar, and the ``--volume`` / ``--contributor`` options win over both.
"""
from __future__ import annotations

import datetime as dt
import re
import sys
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from ..model import Author
from .errors import IngestError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

_YAML_FRONT = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.DOTALL)
_TOML_FRONT = re.compile(r"\A\+\+\+[ \t]*\n(.*?\n)?\+\+\+[ \t]*(?:\n|\Z)", re.DOTALL)
SIDECAR_SUFFIXES = (".toml", ".yaml", ".yml")
DOCUMENT_KINDS = ("paper", "report", "volume")


@dataclass
class Metadata:
    """What a user told us about a document; every field is optional."""

    title: str | None = None
    contributor: str | None = None
    date: str | None = None
    volume: str | None = None
    volume_title: str | None = None
    language: str | None = None
    kind: str | None = None  # "paper", "report" or "volume": overrides recognition
    authors: list[Author] = field(default_factory=list)

    def update(self, other: Metadata) -> None:
        """Take every field ``other`` sets."""
        for name in (f.name for f in fields(self)):
            value = getattr(other, name)
            if value:
                setattr(self, name, value)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value).strip() or None


def _authors(data: dict[str, Any]) -> list[Author]:
    raw = data.get("authors", data.get("author"))
    if raw is None:
        return []
    items = raw if isinstance(raw, list) else [raw]
    authors = []
    for item in items:
        if isinstance(item, dict):
            name = _text(item.get("name"))
            if name:
                authors.append(Author(name, _text(item.get("role")), _text(item.get("affiliation"))))
        elif _text(item):
            # A lone author may carry its role at the top level ("author: …" with "role: …").
            role = _text(data.get("role")) if not isinstance(raw, list) else None
            authors.append(Author(str(_text(item)), role))
    return authors


def metadata_from(data: Any, origin: str) -> Metadata:
    """Metadata from a parsed mapping; ``origin`` names where it came from for error messages."""
    if data is None:
        return Metadata()
    if not isinstance(data, dict):
        raise IngestError(origin, "metadata must be a mapping of keys to values")
    data = {str(key).lower(): value for key, value in data.items()}
    kind = _text(data.get("kind"))
    if kind is not None and kind.lower() not in DOCUMENT_KINDS:
        raise IngestError(origin, f"metadata kind {kind!r} is not one of {', '.join(DOCUMENT_KINDS)}")
    return Metadata(
        title=_text(data.get("title")),
        contributor=_text(data.get("contributor")),
        date=_text(data.get("date")),
        volume=_text(data.get("volume")),
        volume_title=_text(data.get("volume_title")),
        language=_text(data.get("language") or data.get("lang")),
        kind=kind.lower() if kind else None,
        authors=_authors(data),
    )


def _parse(block: str, syntax: str, origin: str) -> Metadata:
    try:
        data = tomllib.loads(block) if syntax == "toml" else yaml.safe_load(block)
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as error:
        detail = " ".join(str(error).split())
        raise IngestError(origin, f"{syntax.upper()} metadata does not parse: {detail}") from error
    return metadata_from(data, origin)


def split_front_matter(text: str, path: Path) -> tuple[str, Metadata]:
    """The text with its front matter blanked out (line numbers unchanged), and the front matter's metadata."""
    for pattern, syntax in ((_YAML_FRONT, "yaml"), (_TOML_FRONT, "toml")):
        match = pattern.match(text)
        if match:
            meta = _parse(match.group(1) or "", syntax, f"{path} (front matter)")
            return "\n" * match.group(0).count("\n") + text[match.end() :], meta
    return text, Metadata()


def sidecar_metadata(path: Path) -> Metadata:
    """Metadata of the sidecar file beside ``path``, if there is one."""
    for suffix in SIDECAR_SUFFIXES:
        sidecar = path.with_suffix(suffix)
        if sidecar != path and sidecar.is_file():
            try:
                block = sidecar.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                raise IngestError(str(sidecar), f"sidecar metadata cannot be read: {error}") from error
            return _parse(block, "toml" if suffix == ".toml" else "yaml", str(sidecar))
    return Metadata()
