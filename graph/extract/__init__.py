"""Extraction: read entities, statements and relations from papers with a spaCy pipeline.

``extract`` runs the pipeline once over every prose block of every paper (batched with ``nlp.pipe``)
and returns plain data: one ``PaperExtraction`` per paper and the entities resolved across papers.

Only the model names are imported eagerly: the rest is imported when first used (PEP 562), because
importing spaCy takes about a second and most commands (query, an unchanged rebuild) never parse.
"""
from __future__ import annotations

import importlib
from typing import Any

from .models import DEFAULT_MODELS, ModelNotFound, default_model

__all__ = ["DEFAULT_MODELS", "ModelNotFound", "default_model", "entity_key", "entity_of", "extract", "load_pipeline"]

_LAZY = {"extract": ".run", "load_pipeline": ".pipeline", "entity_key": ".resolve", "entity_of": ".resolve"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
