"""Where the package's data files are: the ontology, theme scheme, shapes, gazetteers and the bundled volume.

They live in the repository's top-level ``ontology/`` and ``data/`` folders and are installed as the
``graph.ontology`` and ``graph.data`` packages, so they are found the same way from a source checkout,
an editable install or a wheel, whatever the working directory.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

BUNDLED_VOLUME = "cmia-19-penetrating-insights.txt"


def ontology_path(name: str = "policykg.ttl") -> Path:
    """Path of a file in the ontology folder (``policykg.ttl``, ``themes.ttl``, a gazetteer …)."""
    return Path(str(resources.files("graph.ontology").joinpath(name)))


def bundled_volume() -> Path:
    """Path of the bundled proceedings volume."""
    return Path(str(resources.files("graph.data").joinpath(BUNDLED_VOLUME)))
