"""Run the spaCy pipeline over whole papers: the work behind ``graph.extract.extract``."""
from __future__ import annotations

from collections.abc import Iterator

from spacy.language import Language

from ..model import PROSE_KINDS, TABLE, Block, Corpus, Paper, PaperExtraction, Volume
from .entities import mentions_in, source_mentions, term_acronyms
from .relations import RelationReader
from .resolve import resolve
from .statements import StatementReader
from .themes import key_phrases_in, tag_themes, theme_signals_in


# Table rows are parsed for the names in them and for what the policies they name target; they are not
# sentences, so statements, themes and key phrases come from prose only.
_PARSED_KINDS = PROSE_KINDS | {TABLE}


def _parsed_blocks(papers: list[Paper]) -> Iterator[tuple[str, tuple[int, Block]]]:
    for index, paper in enumerate(papers):
        for block in paper.blocks:
            if block.kind in _PARSED_KINDS:
                yield paper.text[block.start : block.end], (index, block)


def extract(volumes: list[Volume], nlp: Language, *, batch_size: int = 64, n_process: int = 1) -> Corpus:
    """Run the pipeline over all papers and resolve entities across them."""
    extractions = extract_papers(volumes, nlp, batch_size=batch_size, n_process=n_process)
    return Corpus(volumes, extractions, resolve(extractions))


def extract_papers(
    volumes: list[Volume], nlp: Language, *, batch_size: int = 64, n_process: int = 1
) -> list[PaperExtraction]:
    """Run the pipeline over all papers: each paper's extraction, its entities not yet resolved across papers."""
    papers = [paper for volume in volumes for paper in volume.papers]
    extractions = [PaperExtraction(paper) for paper in papers]
    for index, sources in source_mentions(nlp, papers, batch_size=batch_size):
        extractions[index].mentions.extend(sources)
    docs = nlp.pipe(_parsed_blocks(papers), as_tuples=True, batch_size=batch_size, n_process=n_process)
    statements = StatementReader()  # reads blocks in order: it tracks sections and speakers
    relations = RelationReader()  # reads blocks in order: list items give the targets a sentence announces
    reading = None  # the paper whose blocks are being read
    for doc, (index, block) in docs:
        if reading is not None and index != reading:
            extractions[reading].statements.extend(statements.finish())
        reading = index
        paper = papers[index]
        block_mentions = mentions_in(doc, paper.id, block)
        extractions[index].mentions.extend(block_mentions)
        if block.kind == TABLE:
            extractions[index].relations.extend(relations.read(doc, paper, block))
            continue
        block_statements = statements.read(doc, paper, block, block_mentions)
        extractions[index].statements.extend(block_statements)
        # A quoted speaker's organisation becomes an entity even where the NER took it for something else.
        extractions[index].mentions.extend(
            m for s in block_statements for m in s.mentions if s.speaker and m.text == s.speaker
        )
        extractions[index].relations.extend(relations.read(doc, paper, block))
        extractions[index].theme_signals.extend(
            theme_signals_in(doc, paper.id, block.start, page=block.page, kind=block.kind, section=block.section)
        )
        extractions[index].key_phrases.extend(key_phrases_in(doc, paper.id, block.start, block.page))
    if reading is not None:
        extractions[reading].statements.extend(statements.finish())
    for extraction in extractions:
        terms = term_acronyms(extraction.paper.text)
        if terms:  # "AEB", defined as "autonomous emergency braking (AEB)", is no organisation anywhere in the paper
            extraction.mentions = [m for m in extraction.mentions if m.kind != "Organization" or m.text not in terms]
        tag_themes(extraction)
    return extractions
