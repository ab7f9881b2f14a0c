"""Canonical N-Triples of a graph built in parts: every line of every part, sorted and de-duplicated.

The lines are sorted in bounded memory: parts are gathered into runs that are sorted and spilled
to temporary files once large, then merged. A volume fifty times the bundled one is never held whole.
"""
from __future__ import annotations

import heapq
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from rdflib.plugins.serializers.nt import _nt_row
from rdflib.term import Node

Triple = tuple[Node, Node, Node]

# Lines gathered before a run is sorted and spilled; about 100 MB of strings.
RUN_LINES = 400_000


def ntriples_lines(triples: Iterable[Triple]) -> list[str]:
    """The N-Triples lines of blank-node-free triples (a graph, or a set), sorted: their canonical text.

    Each line is written by rdflib's own N-Triples serialiser, row by row, so no graph need be built.
    """
    return sorted(_nt_row(triple)[:-1] for triple in triples)


class NTriplesSorter:
    """Gathers N-Triples lines, then writes them sorted and de-duplicated; ``namespaces`` it is told of are tracked."""

    def __init__(self, scratch: Path, namespaces: dict[str, str], run_lines: int = RUN_LINES) -> None:
        """Runs are spilled as anonymous temporary files in ``scratch``: nothing is left there, even by a killed build."""
        self._scratch = scratch
        self._run_lines = run_lines
        self._buffer: list[str] = []
        self._runs: list[IO[str]] = []
        self._namespaces = namespaces
        self._pattern = re.compile("<(" + "|".join(re.escape(n) for n in sorted(set(namespaces.values()), key=len, reverse=True)) + r")([^>]*)>")
        self._used: set[str] = set()
        self._nested: set[str] = set()  # namespaces under which some IRI goes on with a "/"

    def add(self, lines: Iterable[str]) -> None:
        for line in lines:
            self._buffer.append(line)
            for match in self._pattern.finditer(line):
                self._used.add(match.group(1))
                if "/" in match.group(2):
                    self._nested.add(match.group(1))
        if len(self._buffer) >= self._run_lines:
            self._spill()

    def _spill(self) -> None:
        run = tempfile.TemporaryFile("w+", encoding="utf-8", dir=self._scratch)
        run.writelines(f"{line}\n" for line in sorted(self._buffer))
        run.seek(0)
        self._runs.append(run)
        self._buffer = []

    def prefixes(self) -> dict[str, str]:
        """The prefixes worth writing in Turtle: used, and only with plain local names.

        A namespace under which some IRI goes on with a "/" (``id:paper/…``) is left out: Turtle
        writers escape such names (``id:paper\\/…``), valid but hard to read, so they stay full IRIs.
        """
        return {prefix: namespace for prefix, namespace in sorted(self._namespaces.items())
                if prefix and namespace in self._used and namespace not in self._nested}

    def lines(self) -> Iterator[str]:
        """Every line added, sorted, each once (with its newline); call once, after the last ``add``."""
        self._buffer.sort()
        memory = (f"{line}\n" for line in self._buffer)
        previous = None
        try:
            for line in heapq.merge(memory, *self._runs):
                if line != previous:
                    yield line
                    previous = line
        finally:
            for run in self._runs:
                run.close()
            self._runs, self._buffer = [], []
