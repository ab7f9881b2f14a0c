"""Named SPARQL queries (the competency questions) shipped in ``graph/queries/*.rq``.

Each file starts with a one-line description comment, then optional parameter lines::

    # What a given company recommends: its recommendations with the paper they stand in.
    # param company: words of the company's name or one of its aliases
    # param theme: theme code; empty for all (default: "")

A parameter is written ``$name`` in the query and replaced by the value as a SPARQL string literal,
so the same text runs on rdflib, the embedded Oxigraph store and any remote SPARQL endpoint.
Queries read the union of all named graphs and rely on the prefixes of ``assemble.query.PREFIXES``.

On a build with a store, queries are evaluated by pyoxigraph directly (``query_store``): going through
the rdflib wrapper (oxrdflib) turns every answer term into an rdflib term first, which on answers of
thousands of rows costs as much as evaluating the query.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal

from .assemble.query import QueryError, Table, prologue, run_query
from .store import has_store, open_graph, open_store

_PARAM_LINE = re.compile(r"^#\s*param\s+(\w+)\s*:\s*(.*?)\s*$")
_DEFAULT = re.compile(r"\(default:\s*\"(.*)\"\)\s*$")
_PLACEHOLDER = re.compile(r"\$(\w+)")


class NamedQueryError(ValueError):
    """An unknown query name, a missing parameter or an unknown one; the message says which."""


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    default: str | None = None  # None: the parameter must be given


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    text: str
    parameters: tuple[Parameter, ...] = field(default_factory=tuple)

    def bind(self, values: dict[str, str]) -> str:
        """The query text with every ``$param`` replaced by its value as a string literal."""
        known = {p.name for p in self.parameters}
        unknown = sorted(set(values) - known)
        if unknown:
            accepted = ", ".join(f"--{name}" for name in sorted(known)) or "none"
            raise NamedQueryError(f"query {self.name!r} has no parameter --{unknown[0]} (it takes: {accepted})")
        bound: dict[str, str] = {}
        for parameter in self.parameters:
            value = values.get(parameter.name, parameter.default)
            if value is None:
                raise NamedQueryError(f"query {self.name!r} needs --{parameter.name}: {parameter.description}")
            bound[parameter.name] = Literal(value).n3()
        return _PLACEHOLDER.sub(lambda match: bound.get(match.group(1), match.group(0)), self.text)


def queries_folder() -> Path:
    return Path(str(resources.files("graph").joinpath("queries")))


def parse_named_query(name: str, text: str) -> NamedQuery:
    """A named query from the text of its ``.rq`` file."""
    lines = text.splitlines()
    if not lines or not lines[0].startswith("#"):
        raise NamedQueryError(f"{name}.rq: the first line must be a '# description' comment")
    description = lines[0].lstrip("#").strip()
    parameters = []
    for line in lines[1:]:
        match = _PARAM_LINE.match(line)
        if match:
            default = _DEFAULT.search(match.group(2))
            described = _DEFAULT.sub("", match.group(2)).strip().rstrip(";").strip()
            parameters.append(Parameter(match.group(1), described, default.group(1) if default else None))
    return NamedQuery(name, description, text, tuple(parameters))


def named_queries(folder: Path | None = None) -> dict[str, NamedQuery]:
    """All named queries, by name (the file name without ``.rq``), sorted."""
    folder = folder or queries_folder()
    return {
        path.stem: parse_named_query(path.stem, path.read_text(encoding="utf-8"))
        for path in sorted(folder.glob("*.rq"))
    }


def named_query(name: str) -> NamedQuery:
    queries = named_queries()
    if name not in queries:
        raise NamedQueryError(f"no named query {name!r}; `policykg query --list` shows them")
    return queries[name]


def parse_parameters(args: list[str]) -> dict[str, str]:
    """``--name value`` and ``--name=value`` pairs from a command line, as a dict."""
    values: dict[str, str] = {}
    index = 0
    while index < len(args):
        arg = args[index]
        if not arg.startswith("--") or len(arg) < 3:
            raise NamedQueryError(f"unexpected argument {arg!r}; parameters are given as --name value")
        name, has_value, value = arg[2:].partition("=")
        if not has_value:
            if index + 1 >= len(args):
                raise NamedQueryError(f"parameter --{name} needs a value")
            index += 1
            value = args[index]
        values[name.replace("-", "_")] = value
        index += 1
    return values


def query_store(store: ox.Store, sparql: str) -> Table:
    """A SELECT, ASK or CONSTRUCT/DESCRIBE query evaluated by Oxigraph over the union of the store's graphs.

    The table is the one ``assemble.query.run_query`` gives for the same query on an rdflib graph:
    terms as their lexical form or IRI, ``None`` for unbound.
    """
    try:
        result = store.query(prologue() + sparql, use_default_graph_as_union=True)
    except (SyntaxError, ValueError) as error:
        raise QueryError(str(error).splitlines()[0] if str(error) else type(error).__name__) from error
    if isinstance(result, ox.QueryBoolean):
        return Table(["ask"], [[str(bool(result)).lower()]])
    if isinstance(result, ox.QueryTriples):
        return Table(["subject", "predicate", "object"],
                     [[triple.subject.value, triple.predicate.value, triple.object.value] for triple in result])
    columns = [variable.value for variable in result.variables]
    return Table(columns, [[None if term is None else term.value for term in row] for row in result])


def query_build(out_dir: Path, sparql: str) -> Table:
    """A query over the build in ``out_dir``: by Oxigraph on its store, else by rdflib on ``graph.ttl``."""
    if has_store(out_dir):
        return query_store(open_store(out_dir), sparql)
    return run_query(open_graph(out_dir), sparql)


def run_named_query(out_dir: Path, name: str, values: dict[str, str]) -> Table:
    """The answer of the named query ``name`` with its parameters ``values`` over the build in ``out_dir``."""
    return query_build(out_dir, named_query(name).bind(values))
