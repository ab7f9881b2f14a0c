"""Read one text or Markdown file: its metadata (front matter or sidecar) and, for a single paper, the paper."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ..model import Author, Paper
from .clean import clean
from .errors import IngestError

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n", re.DOTALL)
_MD_TITLE = re.compile(r"^\s*#\s+(.+?)\s*#*\s*$", re.MULTILINE)
METADATA_KEYS = ("contributor", "title", "date", "volume", "volume_title", "language", "author", "role")


def slug(text: str) -> str:
    """A readable, IRI-safe identifier: "Siemens Ltd., China" → "siemens-ltd-china"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = ascii_text.replace("&", " and ").replace("+", " plus ")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"


def decode(data: bytes, path: Path) -> str:
    """Text of a file: UTF-8 (with or without BOM), else a clear error."""
    if not data.strip():
        raise IngestError(str(path), "empty file")
    if b"\x00" in data[:4096]:
        raise IngestError(str(path), "binary file, not text")
    try:
        return data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as error:
        raise IngestError(str(path), f"not UTF-8 text (byte {error.start}); convert it to UTF-8") from error


def _parse_key_values(block: str) -> dict[str, str]:
    meta: dict[str, str] = {}
    for line in block.splitlines():
        match = re.match(r"^\s*([A-Za-z_]+)\s*[:=]\s*(.*?)\s*$", line)
        if match and match.group(1).lower() in METADATA_KEYS:
            meta[match.group(1).lower()] = match.group(2).strip("\"'")
    return meta


def read_metadata(path: Path) -> tuple[str, dict[str, str]]:
    """The file's text without front matter, and its metadata (front matter, then a ``.toml`` sidecar)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise IngestError(str(path), error.strerror or str(error)) from error
    text = decode(data, path)
    meta: dict[str, str] = {}
    sidecar = path.with_suffix(".toml")
    if sidecar.exists():
        meta.update(_parse_key_values(sidecar.read_text(encoding="utf-8")))
    match = _FRONT_MATTER.match(text)
    if match:
        meta.update(_parse_key_values(match.group(1)))
        # Keep line numbers and offsets of the body unchanged for readers: blank the front matter out.
        text = "\n" * match.group(0).count("\n") + text[match.end() :]
    return text, meta


def read_document(
    text: str,
    meta: dict[str, str],
    *,
    path: Path,
    volume_id: str,
    number: int,
    contributor: str | None = None,
) -> Paper:
    """One paper from a whole document: title from metadata, the first heading or the first line."""
    title = meta.get("title")
    body = text
    if not title:
        heading = _MD_TITLE.search(text)
        if heading:
            title = heading.group(1)
            body = text[: heading.start()] + text[heading.end() :]
        else:
            lines = text.strip().split("\n", 1)
            title, body = lines[0].strip(), (lines[1] if len(lines) > 1 else "")
    cleaned, blocks = clean(body)
    if not cleaned.strip():
        raise IngestError(str(path), "no text after the title")
    authors = [Author(meta["author"], meta.get("role"), contributor or meta.get("contributor"))] if meta.get("author") else []
    return Paper(
        id=f"{volume_id}-{number:02d}",
        number=number,
        title=title.strip().strip("#").strip(),
        contributor=contributor or meta.get("contributor"),
        text=cleaned,
        blocks=blocks,
        volume_id=volume_id,
        authors=authors,
        source=str(path),
        language=meta.get("language", "en"),
    )
