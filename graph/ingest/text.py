"""Plain text and Markdown: decode the bytes honestly, and reduce Markdown markup to the lines ``clean`` reads."""
from __future__ import annotations

import codecs
import logging
import re
import unicodedata
from pathlib import Path

from charset_normalizer import from_bytes

from .errors import IngestError

log = logging.getLogger(__name__)

# Share of control characters above which decoded bytes are not text whatever encoding fits them.
_MAX_CONTROL_SHARE = 0.01
# charset-normalizer's "chaos" (mess) score above which its best guess is still gibberish.
_MAX_CHAOS = 0.25
_CLOSE_CHAOS = 0.02
# Code pages by how common they are for documents, for texts that several of them decode alike.
_COMMON_ENCODINGS = ("cp1252", "latin_1", "iso8859_15", "cp1250", "iso8859_2", "cp1251", "koi8_r", "gb18030", "big5", "shift_jis", "euc_jp", "euc_kr")
_UTF16_32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)

_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)")
# a link reference definition ("[1]: https://…"), not a footnote's text ("[^1]: Ministry of …", kept as a footnote)
_MD_REF_DEF = re.compile(r"^\s{0,3}\[(?!\^)[^\]]+\]:\s+\S+.*$")
_MD_RULE = re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$")
_MD_FENCE = re.compile(r"^\s{0,3}(?:```|~~~)")
_MD_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_MD_QUOTE = re.compile(r"^\s{0,3}>\s?")
_MD_CODE = re.compile(r"`([^`\n]+)`")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def _control_share(text: str) -> float:
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    return controls / max(1, len(text))


def _likely_encoding(data: bytes) -> str | None:
    """The encoding of non-UTF-8 text. Short texts fit several code pages equally well; among those
    that fit as well as the best, the ones most documents are written in win."""
    matches = list(from_bytes(data))
    if not matches or matches[0].chaos > _MAX_CHAOS:
        return None
    fitting = {name for match in matches if match.chaos <= matches[0].chaos + _CLOSE_CHAOS for name in match.could_be_from_charset}
    return next((name for name in _COMMON_ENCODINGS if name in fitting), matches[0].encoding)


def decode(data: bytes, path: Path) -> str:
    """The text of a file's bytes: UTF-8 (with or without BOM), UTF-16/32 with a BOM, else the encoding
    charset-normalizer finds; binary data and undecidable encodings are an ``IngestError``."""
    if not data.strip():
        raise IngestError(str(path), "empty file")
    if data.startswith(_UTF16_32_BOMS):
        text = from_bytes(data).best()
        if text is None:
            raise IngestError(str(path), "starts with a UTF-16/32 byte order mark but does not decode")
        return _checked(_newlines(str(text)), path)
    if b"\x00" in data[:8192]:
        raise IngestError(str(path), "binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        encoding = _likely_encoding(data)
        if encoding is None:
            raise IngestError(
                str(path), f"not UTF-8 (invalid byte at {error.start}) and no other text encoding fits; convert it to UTF-8"
            ) from error
        log.warning("%s: not UTF-8; read as %s", path, encoding)
        text = data.decode(encoding)
    if _control_share(text) > _MAX_CONTROL_SHARE:
        raise IngestError(str(path), "binary file, not text")
    return _checked(_newlines(text), path)


def _checked(text: str, path: Path) -> str:
    if not text.strip():  # bytes.strip() knows only ASCII spaces; no-break and other spaces are blank too
        raise IngestError(str(path), "empty file (only white space)")
    return text


def _newlines(text: str) -> str:
    # Form feeds are page breaks in plain-text exports; they separate blocks like a blank line.
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")


def markdown_lines(text: str) -> str:
    """Markdown reduced to what ``clean`` reads: links become their text, images, code fences, comments,
    rules and reference definitions go, pipe tables become tab-separated rows. The number of lines is
    kept, so line numbers still point into the source file."""
    text = _HTML_COMMENT.sub(lambda match: "\n" * match.group(0).count("\n"), text)
    lines = text.split("\n")
    result: list[str] = []
    in_fence = False
    for line in lines:
        if _MD_FENCE.match(line):
            in_fence = not in_fence
            result.append("")
            continue
        if in_fence or _MD_RULE.match(line) or _MD_REF_DEF.match(line) or _MD_TABLE_RULE.match(line):
            result.append("")
            continue
        line = _MD_QUOTE.sub("", line)
        line = _MD_IMAGE.sub("", line)
        line = _MD_LINK.sub(r"\1", line)
        line = _MD_CODE.sub(r"\1", line)
        if line.strip().startswith("|") and line.strip().endswith("|"):
            line = "\t".join(cell.strip() for cell in line.strip().strip("|").split("|"))
        result.append(line)
    return "\n".join(result)
