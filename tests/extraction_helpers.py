"""Helpers for the entity tests: hand-written papers read and extracted through the real pipeline."""
from __future__ import annotations

from functools import cache
from pathlib import Path

from spacy.language import Language

from graph.extract import extract, load_pipeline
from graph.ingest import read_inputs
from graph.model import Corpus, Paper


@cache
def nlp() -> Language:
    """The real pipeline (spaCy model plus policykg components), loaded once per test session."""
    return load_pipeline()


def corpus_of(tmp_path: Path, papers: dict[str, str], contributor: str | None = None) -> Corpus:
    """Write each text as a Markdown paper in ``tmp_path``, ingest the folder and extract it."""
    for name, text in papers.items():
        (tmp_path / f"{name}.md").write_text(text, encoding="utf-8")
    ingested = read_inputs([tmp_path], contributor=contributor)
    assert not ingested.errors, ingested.errors
    return extract(ingested.volumes, nlp())


def mentions(corpus: Corpus, kind: str) -> set[str]:
    return {m.text for e in corpus.extractions for m in e.mentions if m.kind == kind}


def relations(corpus: Corpus, predicate: str) -> set[tuple[str, str, str]]:
    return {
        (r.subject.text, r.object.kind, r.object.text)
        for e in corpus.extractions
        for r in e.relations
        if r.predicate == predicate
    }


def paper(corpus: Corpus, index: int = 0) -> Paper:
    return corpus.extractions[index].paper
