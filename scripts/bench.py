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
import os
import platform
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

_BARE = """
import json, sys, time
import spacy
from graph.extract import default_model
from graph.ingest import read_inputs
from graph.model import PROSE_KINDS
from graph.resources import bundled_volume
papers = read_inputs([bundled_volume()]).papers
texts = [p.text[b.start:b.end] for p in papers for b in p.blocks if b.kind in PROSE_KINDS]
started = time.perf_counter()
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


def query_times(out: Path) -> list[dict]:
    from rdflib import Graph

    from graph.assemble.query import run_query
    from graph.named_queries import named_queries
    from graph.store import data_graph, ontology_graph, open_graph

    samples = {"company": "energy", "theme": "T02", "policy": "plan", "place": "chongqing", "node": "Chongqing",
               "paper": "x50-0001"}
    oxigraph = open_graph(out)
    memory: Graph = ontology_graph()
    memory += data_graph(out)
    rows = []
    for name, query in named_queries().items():
        text = query.bind({p.name: samples.get(p.name, "") for p in query.parameters if p.default is None})
        answers = len(run_query(oxigraph, text).rows)
        ox_ms, ox_runs = median_ms(lambda: run_query(oxigraph, text), 7)
        rdf_ms, rdf_runs = median_ms(lambda: run_query(memory, text), 3, budget_s=120)
        rows.append({"query": name, "rows": answers, "oxigraph_ms": round(ox_ms, 1), "rdflib_ms": round(rdf_ms, 1),
                     "speedup": round(rdf_ms / ox_ms, 1) if ox_ms else None, "runs": [ox_runs, rdf_runs]})
        print(f"  {name:<36} oxigraph {ox_ms:9.1f} ms   rdflib {rdf_ms:10.1f} ms", file=sys.stderr)
    return rows


def save(report: dict) -> None:
    (ROOT / "output").mkdir(exist_ok=True)
    (ROOT / "output" / "bench.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in report.items() if k != "queries"}), file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="10,50", help="Synthetic volume sizes, as copies of the bundled volume.")
    parser.add_argument("--out", type=Path, default=ROOT / "output" / "bench", help="Working folder.")
    args = parser.parse_args()
    scales = [int(s) for s in args.scales.split(",") if s]
    work = args.out
    work.mkdir(parents=True, exist_ok=True)
    report: dict = {"machine": {"python": platform.python_version(), "platform": platform.platform(),
                                "cpus": os.cpu_count(), "processor": platform.processor() or platform.machine()}}

    print("(1) bare nlp.pipe vs full build", file=sys.stderr)
    bare = run_json(_BARE)
    full = build_once([], work / "bundled")
    report["bare_vs_build"] = {"bare_spacy_s": round(bare["seconds"], 2), "build_s": round(full["seconds"], 2),
                               "ratio": round(full["seconds"] / bare["seconds"], 2), "papers": full["papers"],
                               "triples": full["triples"]}

    save(report)
    print("(2) no-change rebuild", file=sys.stderr)
    again = build_once([], work / "bundled", cache=True)
    started = time.perf_counter()
    subprocess.run([str(Path(PYTHON).parent / "policykg"), "build", "--out", str(work / "bundled")], check=True,
                   capture_output=True, cwd=ROOT)
    command_s = time.perf_counter() - started
    report["no_change_rebuild"] = {"library_s": round(again["seconds"], 3), "parsed": again["parsed"],
                                   "command_wall_s": round(command_s, 3)}

    save(report)
    print("(5) --jobs 2", file=sys.stderr)
    jobs2 = build_once([], work / "bundled-jobs2", jobs=2)
    report["jobs"] = {"jobs1_s": round(full["seconds"], 2), "jobs2_s": round(jobs2["seconds"], 2),
                      "speedup": round(full["seconds"] / jobs2["seconds"], 2)}

    save(report)
    sys.path.insert(0, str(SCRIPTS))
    from make_synthetic import make

    report["scales"] = []
    for copies in scales:
        print(f"(3) synthetic x{copies}", file=sys.stderr)
        papers_dir = work / f"x{copies}-papers"
        written = make(copies, papers_dir)
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

    largest = max(scales) if scales else None
    if largest:
        print(f"(4) named queries at x{largest}", file=sys.stderr)
        report["queries"] = query_times(work / f"x{largest}")

    save(report)
    print_table(report)


def print_table(report: dict) -> None:
    b, n, j = report["bare_vs_build"], report["no_change_rebuild"], report["jobs"]
    print(f"machine: {report['machine']['platform']}, {report['machine']['cpus']} CPUs, Python {report['machine']['python']}")
    print(f"{'measure':<44} value")
    print(f"{'-' * 44} {'-' * 30}")
    print(f"{'(1) bare spaCy pass / full build':<44} {b['bare_spacy_s']} s / {b['build_s']} s = x{b['ratio']}")
    print(f"{'(2) no-change rebuild (library / command)':<44} {n['library_s']} s / {n['command_wall_s']} s")
    for scale in report.get("scales", []):
        label = f"(3) x{scale['copies']} build ({scale['papers']} papers)"
        print(f"{label:<44} {scale['build_s']} s, {scale['ms_per_paper']} ms/paper, peak {scale['peak_mb']} MB")
    if "linearity" in report:
        print(f"{'(3) time per paper, largest / smallest':<44} {report['linearity']}")
    for row in report.get("queries", []):
        label = f"(4) {row['query']}"
        print(f"{label:<44} oxigraph {row['oxigraph_ms']} ms, rdflib {row['rdflib_ms']} ms (x{row['speedup']})")
    print(f"{'(5) --jobs 2 speed-up':<44} {j['jobs1_s']} s / {j['jobs2_s']} s = x{j['speedup']}")


if __name__ == "__main__":
    main()
