"""Make a synthetic volume: the bundled papers repeated N times, each copy under a varied contributor name.

    python scripts/make_synthetic.py 10 output/bench/x10

Each copy is a Markdown paper with front matter; its contributor's name is varied ("Acme" →
"Acme Nordic 3") in the front matter and in the text, so entity resolution sees distinct companies
and the graph grows like a real larger corpus rather than folding copies together.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
from pathlib import Path

from graph.ingest import read_inputs
from graph.resources import bundled_volume

VARIANTS = ("Nordic", "Pacific", "Andes", "Alpine", "Sahel", "Baltic", "Iberia", "Deccan", "Pampas", "Tundra")


def variant(name: str, copy: int) -> str:
    return f"{name} {VARIANTS[copy % len(VARIANTS)]} {copy // len(VARIANTS) + 1}"


def make(copies: int, folder: Path) -> int:
    """Write ``copies`` × the bundled papers into ``folder`` (emptied first); return the number written."""
    papers = read_inputs([bundled_volume()]).papers
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    written = 0
    for copy in range(copies):
        for paper in papers:
            contributor = paper.contributor or "Unknown"
            name = variant(contributor, copy)
            text = re.sub(re.escape(contributor), name, paper.text) if copy else paper.text
            # JSON strings are YAML double-quoted scalars: titles with colons or quotes stay one value.
            meta = {"contributor": name, "title": paper.title, "volume": f"synthetic-x{copies}"}
            front = "---\n" + "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in meta.items())
            front += "---\n\n"
            path = folder / f"c{copy:03d}-p{paper.number:02d}.md"
            path.write_text(front + f"# {paper.title}\n\n" + text, encoding="utf-8")
            written += 1
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("copies", type=int)
    parser.add_argument("folder", type=Path)
    args = parser.parse_args()
    print(f"wrote {make(args.copies, args.folder)} papers into {args.folder}")


if __name__ == "__main__":
    main()
