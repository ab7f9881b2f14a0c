"""Benchmark of builds, the store and queries, on this machine. Writes output/bench.json and prints a table.

    python scripts/bench.py [--scales 10,50] [--out output/bench]

(1) a bare spaCy nlp.pipe pass over the bundled volume vs the full build (ratio);
(2) a no-change rebuild (in the library, and the whole `policykg build` command);
(3) synthetic volumes (scripts/make_synthetic.py): build time, time per paper and peak memory;
(4) every named query on the Oxigraph store vs rdflib's in-memory engine at the largest scale (median ms);
(5) the --jobs 2 speed-up on the bundled volume.
Every build runs in its own process so that peak memory (ru_maxrss) is that build's alone.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent
ROOT = SCRIPTS.parent
PYTHON = sys.executable

_BUILD = """
import json, resource, sys, time
from pathlib import Path
from graph.build import build
inputs = [Path(p) for p in json.loads(sys.argv[1])] or None
started = time.perf_counter()
result = build(inputs, Path(sys.argv[2]), n_process=int(sys.argv[3]), use_cache=sys.argv[4] == "1")
print(json.dumps({"seconds": time.perf_counter() - started, "papers": result.summary.papers,
                  "triples": result.summary.triples, "parsed": result.cache.parsed, "unchanged": result.unchanged,
                  "unreadable": len(result.errors),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

# The bare pass counts importing spaCy, as the build does (it imports spaCy only when it parses).
_BARE = """
import json, sys, time
from graph.ingest import read_inputs
from graph.model import PROSE_KINDS
from graph.resources import bundled_volume
papers = read_inputs([bundled_volume()]).papers
texts = [p.text[b.start:b.end] for p in papers for b in p.blocks if b.kind in PROSE_KINDS]
started = time.perf_counter()
import spacy
from graph.extract import default_model
nlp = spacy.load(default_model(), exclude=["lemmatizer"])
for _ in nlp.pipe(texts, batch_size=64):
    pass
print(json.dumps({"seconds": time.perf_counter() - started, "blocks": len(texts)}))
"""


def run_json(code: str, *args: str) -> dict:
    done = subprocess.run([PYTHON, "-c", code, *args], check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(done.stdout.strip().splitlines()[-1])


def build_once(inputs: list[Path], out: Path, *, jobs: int = 1, cache: bool = False) -> dict:
    return run_json(_BUILD, json.dumps([str(p) for p in inputs]), str(out), str(jobs), "1" if cache else "0")


def median_ms(run, repeat: int, budget_s: float = 60.0) -> tuple[float, int]:
    """Median wall time of ``run()`` in ms over up to ``repeat`` runs (fewer once ``budget_s`` is spent)."""
    times: list[float] = []
    spent = 0.0
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        elapsed = time.perf_counter() - started
        times.append(elapsed * 1000)
        spent += elapsed
        if spent > budget_s:
            break
    return statistics.median(times), len(times)


# Parameters for the named queries that need one: common words, and the place every paper is about
# (the node with the most evidence, so the evidence query is timed at its worst). The paper is the
# build's first.
QUERY_SAMPLES = {"company": "energy", "theme": "T02", "policy": "plan", "place": "chongqing", "node": "Chongqing"}
QUERY_TARGET_MS = 100.0
QUERY_TARGET_SPEEDUP = 10.0


# rdflib's engine may take many minutes on one query at ×50: it is run in a forked child, stopped after this.
RDFLIB_TIMEOUT_S = 180


def _rdflib_times(memory, text: str) -> dict:
    from graph.assemble.query import run_query

    answers = {}
    ms, runs = median_ms(lambda: answers.update(rdflib=run_query(memory, text)), 3, budget_s=60)
    return {"ms": ms, "runs": runs, "rows": len(answers["rdflib"].rows)}


def _in_child(work, timeout_s: float) -> dict | None:
    """``work()`` run in a forked child (which shares the parent's parsed graph); None if it takes over ``timeout_s``."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=lambda: send.send(work()))
    child.start()
    ready = receive.poll(timeout_s)
    result = receive.recv() if ready else None
    child.kill()
    child.join()
    return result


def query_times(out: Path) -> dict:
    """Every named query as users run it (the library's runner, pyoxigraph on the on-disk store) vs rdflib's
    in-memory engine on the same graph (``graph.ttl`` and the ontology parsed into an rdflib Graph), same text.

    Opening the store is timed once on its own: the rdflib side is timed without parsing its graph.
    """
    from graph.named_queries import named_queries, query_store
    from graph.store import ontology_graph, open_store

    started = time.perf_counter()
    store = open_store(out)
    open_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    memory = ontology_graph().parse(out / "graph.ttl", format="turtle")
    parse_s = time.perf_counter() - started
    samples = QUERY_SAMPLES | {"paper": query_store(store, named_queries()["papers"].text).rows[0][0]}
    rows = []
    for name, query in named_queries().items():
        text = query.bind({p.name: samples[p.name] for p in query.parameters if p.default is None})
        answers = {}
        ox_ms, ox_runs = median_ms(lambda: answers.update(oxigraph=query_store(store, text)), 9)
        rdflib = _in_child(lambda: _rdflib_times(memory, text), RDFLIB_TIMEOUT_S)
        answer = answers["oxigraph"]
        rdf_ms = rdflib["ms"] if rdflib else None
        # a query rdflib did not answer in time is at least timeout / oxigraph times faster
        speedup = (rdf_ms if rdf_ms else RDFLIB_TIMEOUT_S * 1000) / ox_ms if ox_ms else None
        rows.append({"query": name, "rows": len(answer.rows), "rdflib_rows": rdflib["rows"] if rdflib else None,
                     "oxigraph_ms": round(ox_ms, 1),
                     "rdflib_ms": round(rdf_ms, 1) if rdf_ms else f"> {RDFLIB_TIMEOUT_S * 1000}",
                     "speedup": round(speedup, 1) if speedup else None,
                     "under_100ms": ox_ms < QUERY_TARGET_MS, "at_least_10x": bool(speedup and speedup >= QUERY_TARGET_SPEEDUP),
                     "runs": [ox_runs, rdflib["runs"] if rdflib else 0]})
        shown = f"{rdf_ms:10.1f} ms" if rdf_ms else f"> {RDFLIB_TIMEOUT_S} s (stopped)"
        print(f"  {name:<36} {len(answer.rows):6d} rows  oxigraph {ox_ms:8.1f} ms   rdflib {shown}", file=sys.stderr)
    speedups = sorted(row["speedup"] for row in rows if row["speedup"])
    return {"scale": out.name, "store_open_ms": round(open_ms, 1), "rdflib_parse_s": round(parse_s, 1),
            "samples": samples, "under_100ms": sum(row["under_100ms"] for row in rows),
            "at_least_10x": sum(row["at_least_10x"] for row in rows), "count": len(rows),
            "median_speedup": speedups[len(speedups) // 2] if speedups else None, "by_query": rows}


def save(report: dict) -> None:
    (ROOT / "output").mkdir(exist_ok=True)
    (ROOT / "output" / "bench.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in report.items() if k != "queries"}), file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="10,50", help="Synthetic volume sizes, as copies of the bundled volume.")
    parser.add_argument("--out", type=Path, default=ROOT / "output" / "bench", help="Working folder.")
    parser.add_argument("--repeat", type=int, default=3, help="Runs of the bare pass and of the build, alternated.")
    parser.add_argument("--parts", default="1,2,3,4,5",
                        help="Parts to measure, e.g. 3,4; the others are kept from the last output/bench.json.")
    args = parser.parse_args()
    scales = [int(s) for s in args.scales.split(",") if s]
    parts = set(args.parts.split(","))
    work = args.out
    work.mkdir(parents=True, exist_ok=True)
    last = ROOT / "output" / "bench.json"
    report: dict = json.loads(last.read_text(encoding="utf-8")) if parts != set("12345") and last.exists() else {}
    report["machine"] = {"python": platform.python_version(), "platform": platform.platform(),
                         "cpus": os.cpu_count(), "processor": platform.processor() or platform.machine()}

    if "1" in parts:
        print("(1) bare nlp.pipe vs full build", file=sys.stderr)
        # Alternated, and the fastest of each kept: a burst of load from elsewhere on the machine then
        # slows one run of a kind rather than one kind.
        bares, fulls = [], []
        for _ in range(args.repeat):
            bares.append(run_json(_BARE)["seconds"])
            full = build_once([], work / "bundled")
            fulls.append(full["seconds"])
        report["bare_vs_build"] = {"bare_spacy_s": round(min(bares), 2), "build_s": round(min(fulls), 2),
                                   "ratio": round(min(fulls) / min(bares), 2), "papers": full["papers"],
                                   "triples": full["triples"], "runs": args.repeat}
        save(report)

    if "2" in parts:
        print("(2) no-change rebuild", file=sys.stderr)
        build_once([], work / "bundled", cache=True)  # so that the next two find it built
        again = build_once([], work / "bundled", cache=True)
        started = time.perf_counter()
        subprocess.run([str(Path(PYTHON).parent / "policykg"), "build", "--out", str(work / "bundled")], check=True,
                       capture_output=True, cwd=ROOT)
        command_s = time.perf_counter() - started
        report["no_change_rebuild"] = {"library_s": round(again["seconds"], 3), "parsed": again["parsed"],
                                       "command_wall_s": round(command_s, 3)}
        save(report)

    if "5" in parts:
        print("(5) --jobs 2", file=sys.stderr)
        jobs1 = report["bare_vs_build"]["build_s"]
        jobs2 = min(build_once([], work / "bundled-jobs2", jobs=2)["seconds"] for _ in range(args.repeat))
        report["jobs"] = {"jobs1_s": jobs1, "jobs2_s": round(jobs2, 2), "speedup": round(jobs1 / jobs2, 2)}
        save(report)

    if "3" in parts:
        measure_scales(report, scales, work)
    largest = max(scales) if scales else None
    if "4" in parts and largest:
        print(f"(4) named queries at x{largest}", file=sys.stderr)
        report["queries"] = query_times(work / f"x{largest}")

    save(report)
    print_table(report)


def measure_scales(report: dict, scales: list[int], work: Path) -> None:
    sys.path.insert(0, str(SCRIPTS))
    from make_synthetic import make

    report["scales"] = []
    for copies in scales:
        print(f"(3) synthetic x{copies}", file=sys.stderr)
        papers_dir = work / f"x{copies}-papers"
        written = make(copies, papers_dir)
        # a fresh build: over the last one, the store would first be a copy of a store of other papers
        shutil.rmtree(work / f"x{copies}", ignore_errors=True)
        result = build_once([papers_dir], work / f"x{copies}")
        if result["unreadable"] or result["papers"] != written:
            sys.exit(f"x{copies}: {written} papers written, {result['papers']} built, {result['unreadable']} unreadable")
        report["scales"].append({"copies": copies, "papers": result["papers"], "triples": result["triples"],
                                 "build_s": round(result["seconds"], 1), "peak_mb": round(result["peak_mb"]),
                                 "ms_per_paper": round(1000 * result["seconds"] / result["papers"], 1)})
        save(report)
    if len(report["scales"]) >= 2:
        small, large = report["scales"][0], report["scales"][-1]
        report["linearity"] = round(large["ms_per_paper"] / small["ms_per_paper"], 3)


def print_table(report: dict) -> None:
    """The parts measured so far (``--parts 1`` with no earlier output/bench.json has only part 1)."""
    b, n, j = report.get("bare_vs_build"), report.get("no_change_rebuild"), report.get("jobs")
    print(f"machine: {report['machine']['platform']}, {report['machine']['cpus']} CPUs, Python {report['machine']['python']}")
    print(f"{'measure':<44} value")
    print(f"{'-' * 44} {'-' * 30}")
    if b:
        print(f"{'(1) bare spaCy pass / full build':<44} {b['bare_spacy_s']} s / {b['build_s']} s = x{b['ratio']}")
    if n:
        print(f"{'(2) no-change rebuild (library / command)':<44} {n['library_s']} s / {n['command_wall_s']} s")
    for scale in report.get("scales", []):
        label = f"(3) x{scale['copies']} build ({scale['papers']} papers)"
        print(f"{label:<44} {scale['build_s']} s, {scale['ms_per_paper']} ms/paper, peak {scale['peak_mb']} MB")
    if "linearity" in report:
        print(f"{'(3) time per paper, largest / smallest':<44} {report['linearity']}")
    print_queries(report.get("queries"))
    if j:
        print(f"{'(5) --jobs 2 speed-up':<44} {j['jobs1_s']} s / {j['jobs2_s']} s = x{j['speedup']}")


def print_queries(queries: dict | None) -> None:
    if not queries:
        return
    for row in queries["by_query"]:
        label = f"(4) {row['query']} ({row['rows']} rows)"
        marks = ("" if row["under_100ms"] else " >100ms") + ("" if row["at_least_10x"] else " <x10")
        print(f"{label:<56} oxigraph {row['oxigraph_ms']} ms, rdflib {row['rdflib_ms']} ms (x{row['speedup']}){marks}")
    print(f"{'(4) named queries at ' + queries['scale']:<56} {queries['under_100ms']}/{queries['count']} under 100 ms, "
          f"{queries['at_least_10x']}/{queries['count']} at least x10, median x{queries['median_speedup']}; "
          f"store opened in {queries['store_open_ms']} ms")


if __name__ == "__main__":
    main()
