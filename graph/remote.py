"""Remote SPARQL servers: query one over the SPARQL 1.1 Protocol, push the graph with the Graph Store Protocol.

Works with any SPARQL 1.1 server (Oxigraph server, Apache Jena Fuseki, GraphDB). Named queries read
the union of the named graphs, so the server must query it by default: ``oxigraph serve
--union-default-graph``, Fuseki's ``unionDefaultGraph``, GraphDB's default behaviour.
"""
from __future__ import annotations

import base64
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from .assemble.query import Table, prologue
from .assemble.vocab import ID
from .store import graph_ntriples, named_graphs, open_store

log = logging.getLogger(__name__)

# The graphs policykg owns on a server: everything it pushes lives under this prefix.
GRAPH_PREFIX = str(ID["graph/"])
_RESULTS_JSON = "application/sparql-results+json"
_NTRIPLES = "application/n-triples"


class RemoteError(RuntimeError):
    """A server that cannot be reached or that refused a request; the message names the URL and cause."""


@dataclass
class Credentials:
    user: str
    password: str

    def header(self) -> str:
        return "Basic " + base64.b64encode(f"{self.user}:{self.password}".encode()).decode()


def _request(
    url: str,
    *,
    method: str = "GET",
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
    credentials: Credentials | None = None,
    timeout: float = 60.0,
) -> tuple[str, bytes]:
    """Send one request; return the response's content type and body, or raise RemoteError."""
    request = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
    if credentials is not None:
        request.add_header("Authorization", credentials.header())
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - the user gives the URL
            return response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        detail = error.read().decode("utf-8", "replace").strip().splitlines()
        raise RemoteError(f"{url}: HTTP {error.code} {error.reason}" + (f": {detail[0]}" if detail else "")) from error
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise RemoteError(f"{url}: cannot connect: {reason}") from error


def query_endpoint(endpoint: str, sparql: str, *, credentials: Credentials | None = None, timeout: float = 60.0) -> Table:
    """Run a query on a SPARQL endpoint (with policykg's prefixes declared) and return its answer as a table."""
    body = urllib.parse.urlencode({"query": prologue() + sparql}).encode()
    content_type, payload = _request(
        endpoint,
        method="POST",
        data=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": f"{_RESULTS_JSON}, {_NTRIPLES};q=0.9",
        },
        credentials=credentials,
        timeout=timeout,
    )
    if content_type.startswith(_NTRIPLES):
        graph = Graph().parse(data=payload.decode("utf-8"), format="nt")
        return Table(["subject", "predicate", "object"], sorted([str(t) for t in triple] for triple in graph))
    try:
        results = json.loads(payload)
    except ValueError as error:
        raise RemoteError(f"{endpoint}: answered {content_type or 'no content type'}, not SPARQL JSON results") from error
    if "boolean" in results:
        return Table(["ask"], [[str(bool(results["boolean"])).lower()]])
    columns = results["head"]["vars"]
    rows = [[binding.get(column, {}).get("value") for column in columns] for binding in results["results"]["bindings"]]
    return Table(columns, rows)


def graph_store_url(endpoint: str) -> str:
    """The Graph Store Protocol URL beside a query endpoint, for the usual servers' layouts."""
    parts = urllib.parse.urlsplit(endpoint)
    path = parts.path.rstrip("/")
    for query_path, store_path in (("/query", "/store"), ("/sparql", "/data")):  # Oxigraph, Fuseki
        if path.endswith(query_path):
            return urllib.parse.urlunsplit(parts._replace(path=path[: -len(query_path)] + store_path, query=""))
    raise RemoteError(f"{endpoint}: cannot tell the server's Graph Store URL from this endpoint; give --graph-store")


def _graph_url(graph_store: str, name: str) -> str:
    separator = "&" if urllib.parse.urlsplit(graph_store).query else "?"
    return f"{graph_store}{separator}{urllib.parse.urlencode({'graph': name})}"


def remote_graphs(endpoint: str, *, credentials: Credentials | None = None) -> list[str]:
    """The named graphs on the server that policykg owns."""
    table = query_endpoint(endpoint, "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }", credentials=credentials)
    return sorted(row[0] for row in table.rows if row[0] and row[0].startswith(GRAPH_PREFIX))


@dataclass
class PushResult:
    replaced: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    triples: int = 0


def push(
    out_dir: Path,
    endpoint: str,
    *,
    graph_store: str | None = None,
    credentials: Credentials | None = None,
    timeout: float = 300.0,
) -> PushResult:
    """Load the built store into a remote server, one named graph per paper, replacing what was there.

    Each named graph is sent with an HTTP PUT (which replaces the graph on the server); then the
    graphs under policykg's prefix that the local store no longer has (removed papers) are deleted.
    """
    target = graph_store or graph_store_url(endpoint)
    store = open_store(out_dir)
    result = PushResult()
    local = named_graphs(store)
    for name in local:
        data = graph_ntriples(store, name)
        _request(_graph_url(target, name), method="PUT", data=data, headers={"Content-Type": _NTRIPLES},
                 credentials=credentials, timeout=timeout)
        result.replaced.append(name)
        result.triples += data.count(b"\n")
        log.info("pushed %s", name)
    for name in sorted(set(remote_graphs(endpoint, credentials=credentials)) - set(local)):
        _request(_graph_url(target, name), method="DELETE", credentials=credentials, timeout=timeout)
        result.deleted.append(name)
        log.info("deleted %s", name)
    return result

