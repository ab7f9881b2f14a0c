"""Web pages (.html): the main text, without navigation, scripts, styles, forms or page furniture.

The main text is the ``<main>`` element, else the longest ``<article>``, else the body. Block
elements become blocks for ``clean``: ``<h1>``–``<h6>`` become ``#`` lines, list items ``-`` lines,
table rows tab-separated lines.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from .errors import IngestError

# Elements that are never part of what an author wrote.
_FURNITURE = (
    "script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "button",
    "iframe", "svg", "canvas", "object", "embed", "select", "dialog", "menu",
)
_FURNITURE_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "menu", "menubar"}
_BLOCKS = {
    "p", "div", "section", "article", "main", "blockquote", "pre", "ul", "ol", "li", "dl", "dt", "dd",
    "table", "thead", "tbody", "tfoot", "tr", "figure", "figcaption", "h1", "h2", "h3", "h4", "h5", "h6",
    "address", "hr", "br", "details", "summary", "caption",
}
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}


@dataclass
class WebText:
    text: str
    title: str | None
    meta: dict[str, str] = field(default_factory=dict)  # language, date, author from <html lang> and <meta>


def _is_furniture(tag: Tag) -> bool:
    if tag.name in _FURNITURE:
        return True
    if (tag.get("role") or "").lower() in _FURNITURE_ROLES or tag.get("aria-hidden") == "true":
        return True
    return tag.has_attr("hidden") or "display:none" in (tag.get("style") or "").replace(" ", "").lower()


def _main_element(soup: BeautifulSoup) -> Tag:
    main = soup.find("main") or soup.find(attrs={"role": "main"})
    if isinstance(main, Tag):
        return main
    articles = [a for a in soup.find_all("article") if isinstance(a, Tag)]
    if articles:
        return max(articles, key=lambda a: len(a.get_text(" ", strip=True)))
    return soup.body or soup


class _Lines:
    """Collects inline text into lines; block elements end the current line and leave a blank one."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.inline: list[str] = []
        self.prefix = ""

    def text(self, value: str) -> None:
        self.inline.append(value)

    def end_block(self) -> None:
        text = " ".join("".join(self.inline).split())
        if text:
            self.lines.extend([self.prefix + text, ""])
        self.inline.clear()
        self.prefix = ""

    def walk(self, node: Tag) -> None:
        for child in node.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                self.text(str(child))
                continue
            if not isinstance(child, Tag) or _is_furniture(child):
                continue
            if child.name == "tr":
                self.end_block()
                cells = [" ".join(cell.get_text(" ", strip=True).split()) for cell in child.find_all(["td", "th"])]
                if any(cells):
                    self.lines.append("\t".join(cells))
                continue
            if child.name not in _BLOCKS:
                self.walk(child)
                continue
            self.end_block()
            if child.name in _HEADINGS:
                self.prefix = "#" * _HEADINGS[child.name] + " "
            elif child.name == "li":
                self.prefix = "- "
            self.walk(child)
            self.end_block()


def read_html(data: bytes, path: Path) -> WebText:
    """The main text of a web page as source lines, with its title and the metadata it declares."""
    try:
        soup = BeautifulSoup(data, "html.parser")
    except Exception as error:  # html.parser is lenient; a failure here means the bytes are not markup
        raise IngestError(str(path), f"not readable as HTML: {type(error).__name__}") from error
    meta: dict[str, str] = {}
    html = soup.find("html")
    if isinstance(html, Tag) and html.get("lang"):
        meta["language"] = str(html["lang"]).split("-")[0].lower()
    for tag in soup.find_all("meta"):
        name = (tag.get("name") or tag.get("property") or "").lower()
        content = (tag.get("content") or "").strip()
        if not content:
            continue
        if name == "og:site_name" and "contributor" not in meta:
            meta["contributor"] = content  # the site that publishes the page speaks for its owner
        elif name in ("author", "article:author") and "author" not in meta:
            meta["author"] = content
        elif name in ("date", "article:published_time", "dc.date", "dcterms.date") and "date" not in meta:
            meta["date"] = content
    title_tag = soup.find("title")
    page_title = " ".join(title_tag.get_text().split()) if isinstance(title_tag, Tag) else None
    collector = _Lines()
    collector.walk(_main_element(soup))
    collector.end_block()
    text = "\n".join(collector.lines)
    if not text.strip():
        raise IngestError(str(path), "web page has no main text")
    return WebText(text, page_title or None, meta)
