"""Split a compiled volume into its papers, guided by its CONTENTS table.

A contents line gives a paper's number, title, contributor and page ("3. Title<TAB>Acme Energy (17)");
the tab is sometimes lost, so the title is found by matching the entry against the body, and the rest
of the entry is the contributor. Under each title in the body stands an optional byline: an author's
name and role lines, or the contributor's full name.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Author, Paper
from .clean import clean
from .errors import IngestError

_CONTENTS_HEADING = re.compile(r"^\s*(?:#{1,6}\s*)?(?:\*\*)?(?:table of )?contents(?:\*\*)?\s*:?\s*$", re.IGNORECASE)
_CONTENTS_ENTRY = re.compile(r"^\s*(\d{1,3})[.)]\s+(.+?)\s*\(?(\d{1,4})\)?\s*$")
_MD_HEADING_MARK = re.compile(r"^#{1,6}\s+")
_SUBTITLE = re.compile(r"^\s*[~—–-]{1,2}\s*\S")
_ORG_SUFFIX = re.compile(
    r"\b(?:Inc|Ltd|Limited|LLC|Corp|Corporation|Company|Co|Group|AG|SE|SA|GmbH|plc|N\.V|Holdings|PLC|KK)\b\.?",
)
_NAME_TOKEN = re.compile(r"^(?:Dr|Prof|Mr|Ms|Mrs|Sir)\.?$|^[A-Z][A-Za-zÀ-ÿ'’-]*\.?$|^(?:[A-Z]\.){1,3}[A-Z]?[a-z]*\.?$")
# Words of job titles, so that "Chief Enterprise Operations Officer" is not read as a name.
_JOB_TITLE = re.compile(
    r"\b(?:CEO|CFO|CTO|COO|VP|President|Chairman|Chairwoman|Chair|Officer|Director|Manager|Head|Chief|"
    r"Executive|Founder|Partner|Secretary|Minister|Mayor|Governor|Advisor|Adviser|Professor|Dean|Lead|Leader)\b"
)
_BODY_OPENERS = re.compile(
    r"^\s*(?:abstract|introduction|executive summary|background|summary|foreword|preface|overview)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ContentsEntry:
    number: int
    text: str  # "title<sep>contributor", as written
    page: int
    tab_title: str | None  # the title when a tab separates it from the contributor


def normalise(text: str) -> str:
    """Lowercase words only: quotes, dashes, markup and spacing do not matter when matching titles."""
    text = text.replace("&", " and ")
    return " ".join(re.findall(r"[^\W_]+", text.lower()))


def find_contents(lines: list[str]) -> int | None:
    """Index of the CONTENTS heading line, or None when the text is not a compiled volume."""
    for index, line in enumerate(lines[:400]):
        if _CONTENTS_HEADING.match(line):
            return index
    return None


def parse_contents(lines: list[str], heading: int) -> tuple[list[ContentsEntry], int]:
    """The contents entries after ``heading`` and the index of the first line after the table."""
    entries: list[ContentsEntry] = []
    index = heading + 1
    while index < len(lines):
        line = lines[index]
        match = _CONTENTS_ENTRY.match(line)
        if match:
            body = match.group(2)
            tab_title = body.split("\t")[0].strip() if "\t" in body else None
            entries.append(ContentsEntry(int(match.group(1)), body.replace("\t", " ").strip(), int(match.group(3)), tab_title))
        elif line.strip() and entries:
            break
        index += 1
    return entries, index


def _locate_title(entry: ContentsEntry, lines: list[str], start: int) -> tuple[int, int, str, str] | None:
    """Find the entry's title in the body at or after line ``start``.

    Returns (first line, line after the title, title as written in the body, contributor).
    Titles may span several body lines with blank lines between them.
    """
    wanted = normalise(entry.tab_title or entry.text)
    for first in range(start, len(lines)):
        head = normalise(lines[first])
        if len(head) < 8 or not wanted.startswith(head):
            continue
        title_lines = [lines[first].strip()]
        consumed = head
        end = first + 1
        while consumed != wanted:
            nxt = end
            while nxt < len(lines) and not lines[nxt].strip():
                nxt += 1
            if nxt >= len(lines) or nxt - end > 2:
                break
            candidate = f"{consumed} {normalise(lines[nxt])}".strip()
            if not wanted.startswith(candidate) or not normalise(lines[nxt]):
                break
            if entry.tab_title is None and candidate == wanted:
                break  # the rest of a tab-less entry is the contributor, which may stand in the byline
            consumed = candidate
            title_lines.append(lines[nxt].strip())
            end = nxt + 1
        if entry.tab_title is not None:
            if consumed != wanted:
                continue
            contributor = entry.text[len(entry.tab_title) :].strip()
        else:
            rest = wanted[len(consumed) :].strip()
            if not rest or len(rest.split()) > 6 or not wanted.startswith(consumed + " "):
                continue
            contributor = _tail_words(entry.text, len(rest.split()))
        return first, end, " ".join(_MD_HEADING_MARK.sub("", line) for line in title_lines), contributor
    return None


def _tail_words(text: str, count: int) -> str:
    """The last ``count`` words of ``text`` as written (the contributor of a tab-less entry)."""
    return " ".join(text.split()[-count:])


def looks_like_person(line: str) -> bool:
    """A personal name: two to six capitalised words or initials, no job title, no company suffix."""
    tokens = line.strip().split()
    if not 2 <= len(tokens) <= 6 or _ORG_SUFFIX.search(line) or _JOB_TITLE.search(line) or re.search(r"\d", line):
        return False
    return all(_NAME_TOKEN.match(token) for token in tokens)


def _read_byline(lines: list[str], start: int, end: int, contributor: str) -> tuple[list[Author], list[str], set[int]]:
    """Read the byline under a title: a person's name with role lines, or the contributor's full name.

    Subtitles ("— Insights from …", "~ Leveraging … ~") are skipped and stay in the body.
    Returns (authors, contributor aliases, indices of the byline lines).
    """
    candidates: list[tuple[int, str]] = []
    for index in range(start, min(end, start + 12)):
        line = lines[index].strip()
        if not line:
            continue
        if _SUBTITLE.match(line) and not candidates:
            continue
        if not _is_byline_line(line):
            break
        candidates.append((index, line))
        if len(candidates) == 4:
            break
    if not candidates:
        return [], [], set()
    first_index, first = candidates[0]
    if _mentions(first, contributor) or _ORG_SUFFIX.search(first):
        aliases = [first] if normalise(first) != normalise(contributor) else []
        return [], aliases, {first_index}
    if looks_like_person(first):
        roles = []
        for index, line in candidates[1:]:
            if looks_like_person(line):
                break
            roles.append((index, line))
        author = Author(first, "; ".join(line for _, line in roles) or None, contributor)
        return [author], [], {first_index} | {index for index, _ in roles}
    return [], [], set()


def _is_byline_line(line: str) -> bool:
    """Names, job titles and organisation names: short, and no sentence ends there (but "Inc." may)."""
    if _BODY_OPENERS.match(line) or _NUMBERED_OR_CHAPTER.match(line) or len(line.split()) > 25:
        return False
    # Names and titles are capitalised; a line of mostly lowercase words is prose, even unpunctuated.
    content = [word for word in re.findall(r"[^\W\d_][\w'’-]*", line) if word.lower() not in _MINOR_WORDS]
    if len(content) >= 4 and sum(word[0].islower() for word in content) > len(content) / 2:
        return False
    return not re.search(r"[.!?:;]['\"’”)]*$", line) or bool(re.search(rf"{_ORG_SUFFIX.pattern}$", line))


_MINOR_WORDS = frozenset("a an and as at by for from in of on or the to with".split())
_NUMBERED_OR_CHAPTER = re.compile(r"^\s*(?:Chapter|Section|Part)\b|^\s*\d+(?:\.\d+)*\.?\s|^\s*[IVX]{1,4}\.\s")


def _mentions(line: str, name: str) -> bool:
    """Whether one of the two names contains the other as whole words."""
    a, b = f" {normalise(line)} ", f" {normalise(name)} "
    return bool(b.strip()) and (b in a or a in b)


def split_volume(
    raw: str, *, volume_id: str, source: str = "", lines_offset: int = 0, page_of_line: list[int] | None = None
) -> list[Paper]:
    """Split a compiled volume into papers. Raises IngestError when its contents and body disagree.

    ``page_of_line`` gives the 1-based page of each line of ``raw``, for volumes read from PDF.
    """
    lines = raw.split("\n")
    heading = find_contents(lines)
    if heading is None:
        raise IngestError(source, "no CONTENTS table: not a compiled volume")
    entries, cursor = parse_contents(lines, heading)
    if not entries:
        raise IngestError(source, "the CONTENTS table lists no papers")
    located = []
    for entry in entries:
        found = _locate_title(entry, lines, cursor)
        if found is None:
            raise IngestError(
                source,
                f"contents table does not match the body: paper {entry.number} "
                f"({entry.tab_title or entry.text!r}) was not found after line {cursor + 1}",
            )
        located.append((entry, found))
        cursor = found[1]

    papers: list[Paper] = []
    for position, (entry, (first, after_title, title, contributor)) in enumerate(located):
        end = located[position + 1][1][0] if position + 1 < len(located) else len(lines)
        authors, aliases, byline = _read_byline(lines, after_title, end, contributor)
        body = [index for index in range(after_title, end) if index not in byline]
        pages = [page_of_line[index] for index in body] if page_of_line else None
        text, blocks = clean("\n".join(lines[index] for index in body), page_of_line=pages)
        papers.append(
            Paper(
                id=f"{volume_id}-{entry.number:02d}",
                number=entry.number,
                title=title,
                contributor=contributor,
                contributor_aliases=aliases,
                text=text,
                blocks=blocks,
                volume_id=volume_id,
                authors=authors,
                source=source,
                source_lines=(lines_offset + first + 1, lines_offset + end),
            )
        )
    return papers
