"""The SPARQL endpoint and the remote store, against real Oxigraph servers on loopback."""
from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from graph.assemble.query import prologue, run_query
from graph.build import BuildResult, build
from graph.cli import main
from graph.named_queries import named_query
from graph.remote import RemoteError, graph_store_url, push, query_endpoint, remote_graphs
from graph.serve import ServeSettings, SparqlServer, free_port, oxigraph_binary, wait_until_listening
from graph.store import named_graphs, open_graph, open_store

from .conftest import DATA

PAPERS = DATA / "store" / "papers"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def small_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    folder = tmp_path_factory.mktemp("serve-papers") / "papers"
    shutil.copytree(PAPERS, folder)
    return build([folder], tmp_path_factory.mktemp("serve"))


@pytest.fixture()
def served(small_build: BuildResult) -> Iterator[SparqlServer]:
    server = SparqlServer(small_build.out_dir, ServeSettings(port=free_port(), max_result_bytes=20_000))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.close()
        thread.join(5)


def _get(url: str, query: str, accept: str) -> tuple[int, str, bytes]:
    request = urllib.request.Request(f"{url}?{urllib.parse.urlencode({'query': prologue() + query})}",
                                     headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


def local_count(out_dir: Path) -> int:
    return int(run_query(open_graph(out_dir), COUNT).rows[0][0])


def test_content_negotiation(served: SparqlServer, small_build: BuildResult) -> None:
    query = "SELECT ?t WHERE { ?p a pkg:Paper ; dcterms:title ?t } ORDER BY ?t"
    titles = [row[0] for row in run_query(open_graph(small_build.out_dir), query).rows]
    status, kind, body = _get(served.url, query, "application/sparql-results+json")
    assert status == 200 and kind.startswith("application/sparql-results+json")
    assert [b["t"]["value"] for b in json.loads(body)["results"]["bindings"]] == titles
    status, kind, body = _get(served.url, query, "application/sparql-results+xml")
    assert status == 200 and kind.startswith("application/sparql-results+xml") and titles[0].encode() in body
    status, kind, body = _get(served.url, query, "text/csv")
    assert status == 200 and kind.startswith("text/csv")
    assert [row[0] for row in csv.reader(io.StringIO(body.decode()))][1:] == titles
    status, kind, body = _get(served.url, "CONSTRUCT { ?p dcterms:title ?t } WHERE { ?p a pkg:Paper ; dcterms:title ?t }",
                              "text/turtle")
    assert status == 200 and kind.startswith("text/turtle")
    assert len(Graph().parse(data=body.decode(), format="turtle")) == len(titles)


def test_counts_over_http_equal_the_local_store(served: SparqlServer, small_build: BuildResult) -> None:
    assert query_endpoint(served.url, COUNT).rows == [[str(local_count(small_build.out_dir))]]


def test_read_only_and_result_size_limit(served: SparqlServer) -> None:
    update = urllib.request.Request(served.url.replace("/query", "/update"), method="POST",
                                    data=b"update=CLEAR%20ALL", headers={"Content-Type": "application/x-www-form-urlencoded"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(update, timeout=30)
    assert refused.value.code == 403
    status, _, body = _get(served.url, "SELECT * WHERE { ?s ?p ?o }", "application/sparql-results+json")
    assert status == 413 and b"limit" in body
    assert int(query_endpoint(served.url, COUNT).rows[0][0]) > 0  # nothing was cleared


def test_a_running_server_follows_a_rebuild(tmp_path: Path) -> None:
    folder = tmp_path / "papers"
    shutil.copytree(PAPERS, folder)
    out = tmp_path / "out"
    build([folder], out)
    server = SparqlServer(out, ServeSettings(port=free_port(), timeout_s=5))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    asks = 'ASK { ?s pkg:fullText ?text FILTER (CONTAINS(?text, "green hydrogen market")) }'
    try:
        assert query_endpoint(server.url, asks).rows == [["false"]]
        first = server.backend
        paper = folder / "beta.md"
        paper.write_text(paper.read_text(encoding="utf-8").replace("green electricity market", "green hydrogen market"),
                         encoding="utf-8")
        build([folder], out)  # swaps in a new store, and deletes the folder the server started from
        assert query_endpoint(server.url, asks).rows == [["true"]]
        assert query_endpoint(server.url, COUNT).rows == [[str(local_count(out))]]
        assert server.backend is not first and first.process.poll() is None  # the old one may still hold a query
    finally:
        server.shutdown()
        server.close()
        thread.join(5)
    assert first.process.poll() is not None and server.backend.process.poll() is not None
    assert not first.snapshot.exists() and not server.backend.snapshot.exists()


def test_listens_on_loopback_by_default() -> None:
    assert ServeSettings().host == "127.0.0.1"


@pytest.fixture()
def remote(tmp_path: Path) -> Iterator[str]:
    """A real read-write Oxigraph server on loopback, querying the union of its graphs."""
    port = free_port()
    process = subprocess.Popen(
        [oxigraph_binary(), "serve", "--location", str(tmp_path / "remote"), "--bind", f"127.0.0.1:{port}",
         "--union-default-graph"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_listening("127.0.0.1", port, process)
        yield f"http://127.0.0.1:{port}/query"
    finally:
        process.terminate()
        process.wait(10)


def test_push_then_query_over_http(remote: str, small_build: BuildResult, tmp_path: Path) -> None:
    result = push(small_build.out_dir, remote)
    local_graphs = named_graphs(open_store(small_build.out_dir))
    assert result.replaced == local_graphs and not result.deleted
    assert remote_graphs(remote) == local_graphs
    assert query_endpoint(remote, COUNT).rows == [[str(local_count(small_build.out_dir))]]
    # A named query over HTTP answers as the local store does.
    text = named_query("papers").bind({})
    assert query_endpoint(remote, text).rows == run_query(open_graph(small_build.out_dir), text).rows
    # Pushing again replaces rather than adds.
    push(small_build.out_dir, remote)
    assert query_endpoint(remote, COUNT).rows == [[str(local_count(small_build.out_dir))]]


def test_push_drops_graphs_of_removed_papers(remote: str, small_build: BuildResult, tmp_path: Path) -> None:
    push(small_build.out_dir, remote)
    folder = tmp_path / "papers"
    shutil.copytree(PAPERS, folder)
    (folder / "gamma.md").unlink()
    shutil.copytree(small_build.out_dir / "cache", tmp_path / "out" / "cache")
    smaller = build([folder], tmp_path / "out")
    result = push(smaller.out_dir, remote)
    assert result.deleted == [name for name in named_graphs(open_store(small_build.out_dir)) if name.endswith("demo-gamma")]
    assert query_endpoint(remote, COUNT).rows == [[str(local_count(smaller.out_dir))]]


def test_cli_push_and_query_endpoint(remote: str, small_build: BuildResult) -> None:
    runner = CliRunner()
    pushed = runner.invoke(main, ["push", "--out", str(small_build.out_dir), "--endpoint", remote])
    assert pushed.exit_code == 0, pushed.output
    answer = runner.invoke(main, ["query", "themes-by-contributors", "--endpoint", remote, "--format", "json"])
    local = runner.invoke(main, ["query", "themes-by-contributors", "--out", str(small_build.out_dir), "--format", "json"])
    assert answer.exit_code == 0 and json.loads(answer.output) == json.loads(local.output)


def test_unreachable_endpoint_is_one_clear_error(small_build: BuildResult) -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises(RemoteError, match="cannot connect"):
        query_endpoint(url, COUNT)
    result = CliRunner().invoke(main, ["push", "--out", str(small_build.out_dir), "--endpoint", url])
    assert result.exit_code == 1 and url.replace("/query", "/store") in result.output


def test_graph_store_url_guess() -> None:
    assert graph_store_url("http://h:7878/query") == "http://h:7878/store"
    assert graph_store_url("http://h/ds/sparql") == "http://h/ds/data"
    with pytest.raises(RemoteError, match="--graph-store"):
        graph_store_url("http://h/endpoint")
