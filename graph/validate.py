"""``policykg validate``: check a build against the SHACL shapes of ``ontology/shapes.ttl`` with pySHACL."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Graph, Namespace

from .resources import ontology_path
from .store import data_graph

SHAPES_FILE = "shapes.ttl"
SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str | None
    severity: str
    message: str


@dataclass
class Validation:
    conforms: bool
    violations: list[Violation]


def shapes_graph() -> Graph:
    return Graph().parse(ontology_path(SHAPES_FILE), format="turtle")


def violations_of(report: Graph) -> list[Violation]:
    """The results of a SHACL validation report graph, as plain data, sorted."""
    found = []
    for result in report.subjects(SH.resultSeverity, None):
        path = report.value(result, SH.resultPath)
        found.append(Violation(
            focus=str(report.value(result, SH.focusNode)),
            path=None if path is None else str(path),
            severity=str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1],
            message=str(report.value(result, SH.resultMessage) or ""),
        ))
    return sorted(found, key=lambda v: (v.focus, v.path or "", v.message))


def validate_graph(graph: Graph) -> Validation:
    """Validate a data graph (with the ontology and theme scheme in it, for class hierarchy and themes)."""
    conforms, report, _ = shacl_validate(graph, shacl_graph=shapes_graph(), inference="none", allow_warnings=False)
    return Validation(bool(conforms), violations_of(report))


def validate_build(out_dir: Path) -> Validation:
    """Validate the graph built into ``out_dir``."""
    return validate_graph(data_graph(out_dir, with_ontology=True))
