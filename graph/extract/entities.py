"""Entity mentions: what the statistical NER finds, mapped to ontology classes, with known failure modes filtered."""
from __future__ import annotations

from spacy.tokens import Doc, Span

from ..model import Evidence, Mention

# spaCy label → ontology class. Other labels (DATE, MONEY, …) are not entities of the graph.
LABEL_CLASSES = {"ORG": "Organization", "GPE": "Place", "LOC": "Place", "FAC": "Place"}


def sentence_evidence(span: Span, paper_id: str, offset: int, page: int | None = None) -> Evidence:
    """The sentence holding ``span``, as evidence with offsets into the paper text."""
    sentence = span.sent
    return Evidence(paper_id, offset + sentence.start_char, offset + sentence.end_char, sentence.text, page)


def mentions_in(doc: Doc, paper_id: str, offset: int, page: int | None = None) -> list[Mention]:
    """Entity mentions in one block's doc; ``offset`` is where the block starts in the paper text."""
    mentions = []
    for ent in doc.ents:
        kind = LABEL_CLASSES.get(ent.label_)
        text = ent.text.strip(" \"'“”‘’()")
        if kind is None or len(text) < 2 or not any(ch.isalpha() for ch in text):
            continue
        mentions.append(Mention(text, kind, sentence_evidence(ent, paper_id, offset, page)))
    return mentions
