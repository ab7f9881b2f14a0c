"""Turn the raw text of one paper into clean, readable text split into typed blocks.

Text extracted from PDFs carries artefacts: words hyphenated at line ends, sentences cut by page
breaks, superscript footnote markers glued to words, footnote URL lines and figure captions in the
middle of paragraphs. The clean text repairs them, and every later offset indexes it, so what a
user reads at ``text[start:end]`` is exactly the quote the graph shows.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import CAPTION, FOOTNOTE, HEADING, LIST_ITEM, PARAGRAPH, SUPERSCRIPT_DIGITS, TABLE, Block

_FOOTNOTE_MARK = re.compile(rf"[{SUPERSCRIPT_DIGITS}]+")
# m², km³ … are units, not footnote markers.
_UNIT = re.compile(rf"\b(?:k|c|m)?m[²³]$")
_FOOTNOTE_LINE = re.compile(rf"^\s*(?:[{SUPERSCRIPT_DIGITS}]+|\[\^?\d+\]:?|\[\^[^\]\s]+\]:)\s*\S")
_URL_ONLY = re.compile(r"^\s*<?https?://\S+>?\s*$")
_CAPTION = re.compile(
    # "*Figure 1. …*", "**Source:** …": Markdown emphasis may open the line
    r"^\s*[*_]{0,2}\(?(?:(?:Figure|Fig\.|Table|Chart|Exhibit|Graph|Diagram)\s*[0-9IVX]+[a-z]?\b|(?:Sources?|Notes?)\s*:)",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^\s*(?:[-•*·▪●◦■]|\d{1,2}[.)](?!\d)|\(\d{1,2}\)|\([a-z]\)|[a-z][.)]|[①-⑳]|[IVX]{1,4}\.)\s+")
_MD_HEADING = re.compile(r"^\s*#{1,6}\s+")
_NUMBERED_HEADING = re.compile(r"^\s*(?:Chapter|Section|Part)\s+[0-9IVX]+|^\s*\d+(?:\.\d+)*\.?\s|^\s*[IVX]{1,4}\.\s")
_SENTENCE_END = re.compile(r"[.!?;:。]['\"’”)\]]*$")
_HYPHENATED_END = re.compile(r"([A-Za-z]+)-$")
_LOWER_START = re.compile(r"^([a-z][A-Za-z]*)")
_MINOR_WORDS = frozenset("a an and as at but by for from in into of on or the to via with vs".split())
_CUT_LINE = re.compile(r"[a-z]-$|\b(?:the|a|an|and|or|of|to|in|for|with|by|on|as|its|their|from|that|is|are)$")
_EMPHASIS = re.compile(r"\*\*|__")
_ESCAPE = re.compile(r"\\([$*_#\[\]()`>])")


@dataclass
class _RawBlock:
    kind: str
    text: str
    first_line: int  # 0-based index of its first line in the raw text


def _is_heading(line: str) -> bool:
    """Short, unpunctuated lines that open with a capital, a number or a quote read as headings."""
    if _MD_HEADING.match(line):
        return True
    stripped = _EMPHASIS.sub("", line).strip()
    if not stripped or len(stripped) > 220 or len(stripped.split()) > 30:
        return False
    if not re.match(r"[A-Z0-9“\"'‘(~—–]", stripped):
        return False
    # A line cut mid-word or after a function word is prose interrupted by a page break.
    if _CUT_LINE.search(stripped):
        return False
    words = stripped.split()
    if stripped.endswith(":"):
        return len(words) <= 12
    if re.search(r"[.!?;,]['\"’”)]*$", stripped):
        return False
    if len(words) <= 12 or _NUMBERED_HEADING.match(stripped) or _BULLET.match(stripped):
        return True
    # A long unpunctuated line is a heading only when written in title case.
    content = [w for w in words if w.lower() not in _MINOR_WORDS]
    return sum(1 for w in content if w[0].isupper() or not w[0].isalpha()) >= 0.6 * len(content)


def classify(line: str) -> str:
    """The block kind of a single source line."""
    if _FOOTNOTE_LINE.match(line) or _URL_ONLY.match(line):
        return FOOTNOTE
    if "\t" in line.strip():
        return TABLE
    if _CAPTION.match(line):
        return CAPTION
    if _MD_HEADING.match(line):
        return HEADING
    if _BULLET.match(line):
        # "1. Global shift towards an AI-powered future" is a heading, "- Establish 30 factories." an item.
        if re.match(r"^\s*[-•*·▪●◦■]", line) or not _is_heading(line):
            return LIST_ITEM
        return HEADING
    if _NUMBERED_HEADING.match(line) and _is_heading(line):
        return HEADING
    return HEADING if _is_heading(line) else PARAGRAPH


def _join_hyphenated(left: str, right: str, document: str) -> str | None:
    """Join ``left`` ending in "xx-" to ``right`` starting "yy", or return None when they are not one word.

    A hyphen at a line end is a real hyphen when the word is written with it elsewhere in the
    document, or when its first half is not a plain lowercase word ("AI-", "5G-"); otherwise it is
    line-break hyphenation and the halves are joined ("in-" + "creased" → "increased").
    """
    head = _HYPHENATED_END.search(left)
    tail = _LOWER_START.match(right)
    if not head or not tail:
        return None
    first, second = head.group(1), tail.group(1)
    if not first.islower() or f"{first}-{second}" in document:
        return left + right
    return left[:-1] + right


def _merge_lines(lines: list[str], document: str) -> str:
    text = lines[0].strip()
    for line in lines[1:]:
        line = line.strip()
        joined = _join_hyphenated(text, line, document)
        text = joined if joined is not None else f"{text} {line}"
    return text


def _tidy(text: str, kind: str) -> str:
    """Remove markup and detach footnote markers so sentences read cleanly."""
    text = _ESCAPE.sub(r"\1", _EMPHASIS.sub("", text))
    if kind == HEADING:
        text = _MD_HEADING.sub("", text)
    if kind not in (FOOTNOTE,):

        def drop_marker(match: re.Match[str]) -> str:
            before = text[max(0, match.start() - 3) : match.end()]
            return match.group(0) if _UNIT.search(before) else " "

        text = _FOOTNOTE_MARK.sub(drop_marker, text)
        text = re.sub(r"[ \t]{2,}", " ", text)
        text = re.sub(r" ([,.;:!?)”’])", r"\1", text)
    return text.strip()


def _raw_blocks(raw: str) -> list[_RawBlock]:
    """Group source lines into blocks: blank lines separate, and each bullet or heading starts a new one."""
    blocks: list[_RawBlock] = []
    current: list[str] = []
    current_kind = PARAGRAPH
    first = 0
    lines = raw.split("\n")

    def flush() -> None:
        nonlocal current
        if current:
            blocks.append(_RawBlock(current_kind, _merge_lines(current, raw), first))
        current = []

    for index, line in enumerate(lines):
        if not line.strip():
            flush()
            continue
        kind = classify(line)
        starts_block = not current or kind in (HEADING, LIST_ITEM, FOOTNOTE, CAPTION, TABLE) or current_kind in (HEADING, FOOTNOTE, CAPTION, TABLE)
        if starts_block:
            flush()
            current_kind, first = kind, index
        current.append(line)
    flush()
    # A block of several wrapped lines is prose even if its first line looked like a heading.
    for block in blocks:
        if block.kind == HEADING and not _is_heading(block.text):
            block.kind = PARAGRAPH
    return blocks


def _rejoin_page_breaks(blocks: list[_RawBlock], raw: str) -> list[_RawBlock]:
    """Re-join prose cut by a page break; footnotes and captions found in the gap move after it."""
    result: list[_RawBlock] = []
    for block in blocks:
        prose_index = next(
            (i for i in range(len(result) - 1, -1, -1) if result[i].kind not in (FOOTNOTE, CAPTION, TABLE)),
            None,
        )
        if (
            prose_index is not None
            and block.kind == PARAGRAPH
            and result[prose_index].kind in (PARAGRAPH, LIST_ITEM)
            and not _SENTENCE_END.search(result[prose_index].text)
            and _LOWER_START.match(block.text)
        ):
            previous = result[prose_index]
            joined = _join_hyphenated(previous.text, block.text, raw)
            previous.text = joined if joined is not None else f"{previous.text} {block.text}"
            continue
        result.append(block)
    return result


def clean(raw: str, *, page_of_line: list[int] | None = None) -> tuple[str, list[Block]]:
    """Clean the raw text of one paper; return its text and its blocks with offsets into that text.

    ``page_of_line`` gives the 1-based page of each raw line, for sources with pages (PDF).
    """
    text_parts: list[str] = []
    blocks: list[Block] = []
    offset = 0
    section: str | None = None
    for raw_block in _rejoin_page_breaks(_raw_blocks(raw), raw):
        content = _tidy(raw_block.text, raw_block.kind)
        if not content:
            continue
        if text_parts:
            text_parts.append("\n\n")
            offset += 2
        if raw_block.kind == HEADING:
            section = content
        page = page_of_line[raw_block.first_line] if page_of_line else None
        blocks.append(Block(raw_block.kind, offset, offset + len(content), section, page))
        text_parts.append(content)
        offset += len(content)
    return "".join(text_parts), blocks
