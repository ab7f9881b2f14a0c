"""The library API behind ``policykg viz``: built graph → plain view → measured projection → HTML page."""
from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from .analysis.projection import find_node, measure, neighbourhood
from .assemble.view import full_view, themes_view
from .export.html import write_html
from .model import GraphView

VIEWS = ("full", "themes", "company", "policy")
DEFAULT_PAGES = {"full": "graph.html", "themes": "themes.html"}
# The classes a named view may be centred on. The page holds the node's direct links: for a company its
# papers, statements, places, themes and who mentions it; for a policy the papers and statements citing
# it and what it targets. (Two links away is most of the graph once statements link to themes.)
_FOCUS = {"company": ("Company", "Organization"), "policy": ("Policy",)}


def make_view(graph: Graph, view: str = "full", name: str | None = None) -> GraphView:
    """The measured view ``view`` of ``graph``; ``company`` and ``policy`` views need the node's ``name``.

    Raises ``NodeNotFound`` when no node of the view's classes has that name, ``ValueError`` on a bad view.
    """
    if view == "full":
        return measure(full_view(graph))
    if view == "themes":
        return measure(themes_view(graph))
    if view not in _FOCUS:
        raise ValueError(f"unknown view {view!r}; expected one of {', '.join(VIEWS)}")
    if not name:
        raise ValueError(f"the {view} view needs a NAME")
    whole = measure(full_view(graph))
    centre = find_node(whole, name, _FOCUS[view])
    return measure(neighbourhood(whole, centre, 1, name=view))


def write_view(graph: Graph, out: Path, view: str = "full", name: str | None = None) -> GraphView:
    """Write the page of one view to ``out`` and return what it draws."""
    drawn = make_view(graph, view, name)
    write_html(drawn, out)
    return drawn


def write_default_pages(graph: Graph, out_dir: Path) -> dict[Path, GraphView]:
    """The pages ``make build`` writes: the whole graph and contributors ↔ themes."""
    return {out_dir / page: write_view(graph, out_dir / page, view) for view, page in DEFAULT_PAGES.items()}
