"""Per-paper extraction cache for incremental builds.

A paper's cache key is the SHA-256 of everything that decides what extraction reads from it: the
paper itself (text, blocks, metadata) and a fingerprint of the extractor (its code, the data files
under ``ontology/``, the spaCy model and versions). An unchanged paper under an unchanged extractor
is read back from JSON instead of being parsed again. Cross-paper work (entity resolution, themes,
analysis) is not cached: it is recomputed from all papers on every build.
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import importlib.metadata
import json
import logging
import sys
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .atomic import write_atomic
from .model import Corpus, Paper, PaperExtraction, Volume
from .resources import ontology_path

log = logging.getLogger(__name__)

CACHE_DIR = "cache"

# Bumped when the cache layout itself changes, so old entries are never misread.
_CACHE_FORMAT = "1"


# ------------------------------------------------------------------ plain dataclasses ↔ JSON


_SCALARS = (str, int, float, bool, type(None))


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def to_jsonable(value: Any) -> Any:
    """A dataclass tree as JSON-ready lists and dicts (sets and tuples become sorted/ordered lists)."""
    if isinstance(value, _SCALARS):  # most values: tested first, the cache writes hundreds of thousands
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: to_jsonable(getattr(value, name)) for name in _field_names(type(value))}
    if isinstance(value, (set, frozenset)):
        return sorted((to_jsonable(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    return value


def from_jsonable(cls: Any, data: Any) -> Any:
    """Rebuild a value of type ``cls`` (a dataclass or a typing annotation) from ``to_jsonable`` output."""
    return _converter(cls)(data)


def _identity(data: Any) -> Any:
    return data


@functools.cache
def _converter(cls: Any) -> Callable[[Any], Any]:
    """A function turning JSON data into a ``cls``, built once per type (the cache reads thousands of values)."""
    origin = typing.get_origin(cls)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in typing.get_args(cls) if arg is not type(None)]
        # Optional[X] is the only union the model uses; a wider union keeps the plain JSON value.
        inner = _converter(options[0]) if len(options) == 1 else _identity
        return lambda data: None if data is None else inner(data)
    if dataclasses.is_dataclass(cls):
        hints = typing.get_type_hints(cls)
        fields = {f.name: _converter(hints[f.name]) for f in dataclasses.fields(cls) if f.init}

        def to_dataclass(data: Any) -> Any:
            if data is None:
                return None
            return cls(**{name: fields[name](value) for name, value in data.items() if name in fields})

        return to_dataclass
    if origin in (list, set, frozenset):
        item = _converter((typing.get_args(cls) or (Any,))[0])
        return lambda data: origin(item(v) for v in data)
    if origin is tuple:
        args = typing.get_args(cls)
        if len(args) == 2 and args[1] is Ellipsis:
            item = _converter(args[0])
            return lambda data: tuple(item(v) for v in data)
        items = [_converter(arg) for arg in args]
        return (lambda data: tuple(f(v) for f, v in zip(items, data))) if items else tuple
    if origin is dict:
        value = _converter((typing.get_args(cls) or (str, Any))[1])
        return lambda data: {k: value(v) for k, v in data.items()}
    if cls is str:
        # Names, kinds and section titles recur thousands of times: one shared string for each keeps a
        # large corpus read back from the cache in memory once.
        return sys.intern
    return _identity


# ------------------------------------------------------------------------------ cache keys


def _extractor_files() -> list[Path]:
    """The files whose content decides what extraction reads: extractor code, model, ontology data."""
    package = Path(__file__).parent
    code = sorted((package / "extract").rglob("*.py")) + [package / "model.py"]
    ontology = ontology_path().parent
    data = sorted(p for p in ontology.rglob("*") if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc")
    return code + data


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "-"


def extractor_fingerprint(model: str) -> str:
    """Hash of the extractor: a change to its code, data files, model or spaCy version empties the cache."""
    digest = hashlib.sha256(f"{_CACHE_FORMAT}\0{model}\0{_version('spacy')}\0{_version(model.replace('_', '-'))}".encode())
    for path in _extractor_files():
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def paper_key(paper: Paper, fingerprint: str) -> str:
    """Cache key of one paper under one extractor.

    The source file's path and the paper's position in its volume are left out: extraction reads
    neither, and moving the input folder or adding a paper before this one should not parse it again
    (the paper's id, which evidence carries, is in the key).
    """
    content = to_jsonable(paper)
    del content["source"], content["number"]
    payload = json.dumps(content, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{fingerprint}\0{payload}".encode()).hexdigest()


# ---------------------------------------------------------------------------------- the cache


class ExtractionCache:
    """Extractions on disk under ``out_dir/cache/``, one JSON file per paper key."""

    def __init__(self, out_dir: Path, fingerprint: str) -> None:
        self.folder = out_dir / CACHE_DIR / "papers"
        self.fingerprint = fingerprint

    def key(self, paper: Paper) -> str:
        return paper_key(paper, self.fingerprint)

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def get(self, paper: Paper) -> PaperExtraction | None:
        """The cached extraction of ``paper``, bound to this very ``Paper`` object; None on a miss."""
        path = self.path(self.key(paper))
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as error:  # a damaged entry is a miss, never a failed build
            log.warning("%s: unreadable cache entry (%s); parsing the paper again", path, error)
            return None
        data["paper"] = None  # the paper comes from ingest, not from the cache
        extraction = from_jsonable(PaperExtraction, data)
        extraction.paper = paper
        return extraction

    def put(self, extraction: PaperExtraction) -> None:
        # The paper comes from ingest on every build; its content is in the key.
        data = {name: to_jsonable(getattr(extraction, name)) for name in _field_names(PaperExtraction) if name != "paper"}
        write_atomic(self.path(self.key(extraction.paper)), json.dumps(data, ensure_ascii=False, sort_keys=True))

    def keep_only(self, papers: list[Paper]) -> None:
        """Drop entries of papers that are no longer built, so the cache does not grow without end."""
        wanted = {f"{self.key(paper)}.json" for paper in papers}
        if self.folder.is_dir():
            for path in self.folder.glob("*.json"):
                if path.name not in wanted:
                    path.unlink(missing_ok=True)


# ------------------------------------------------------------------------- incremental extraction


@dataclasses.dataclass
class CacheStats:
    """How many papers were read back from the cache and how many were parsed."""

    cached: int = 0
    parsed: int = 0


def extract_incremental(
    volumes: list[Volume], out_dir: Path, *, model: str | None = None, n_process: int = 1, use_cache: bool = True,
    loaded: Callable[[], None] | None = None,
) -> tuple[Corpus, CacheStats]:
    """Extract every paper, parsing only those the cache does not hold; resolve entities across all.

    The spaCy pipeline is loaded only when some paper has to be parsed (``loaded`` is called then).
    Entity resolution runs over all extractions, cached or fresh, because adding or changing one
    paper can change it for others.
    """
    # Imported here: a build whose papers are all cached never needs spaCy's pipeline.
    from .extract import default_model, load_pipeline
    from .extract.resolve import resolve
    from .extract.run import extract_papers

    name = model or default_model()
    cache = ExtractionCache(out_dir, extractor_fingerprint(name))
    papers = [paper for volume in volumes for paper in volume.papers]
    found = [cache.get(paper) if use_cache else None for paper in papers]
    missing = {id(paper) for paper, extraction in zip(papers, found) if extraction is None}
    stats = CacheStats(cached=len(papers) - len(missing), parsed=len(missing))
    if missing:
        nlp = load_pipeline(name)
        if loaded is not None:
            loaded()
        subset = [
            Volume(v.id, v.title, [p for p in v.papers if id(p) in missing], v.date, v.source) for v in volumes
        ]
        fresh = iter(extract_papers([v for v in subset if v.papers], nlp, n_process=n_process))
        for index, extraction in enumerate(found):
            if extraction is None:
                found[index] = extraction = next(fresh)
                cache.put(extraction)
    extractions = [extraction for extraction in found if extraction is not None]
    cache.keep_only(papers)
    log.info("extraction: %d papers from the cache, %d parsed", stats.cached, stats.parsed)
    return Corpus(volumes, extractions, resolve(extractions)), stats


# ------------------------------------------------------------------------------ whole builds


def _builder_files() -> list[Path]:
    """Every file whose content decides a build's outputs beyond extraction: the package's code and queries."""
    package = Path(__file__).parent
    return sorted(p for p in package.rglob("*") if p.is_file() and p.suffix in (".py", ".rq", ".html", ".css", ".js", ".j2"))


def build_fingerprint(volumes: list[Volume], out_dir: Path, *, model: str | None, store: str) -> str | None:
    """Hash of everything a build's outputs follow from: the volumes, every paper's cached extraction, the code, the store mode.

    Two builds with the same fingerprint write the same outputs, so the second may skip all its work.
    None when some paper has no extraction in the cache (the build has work to do). The entries are
    hashed byte for byte, so a damaged entry also means a real build, which parses that paper again.
    """
    from .extract import default_model

    cache = ExtractionCache(out_dir, extractor_fingerprint(model or default_model()))
    digest = hashlib.sha256(f"{_CACHE_FORMAT}\0{cache.fingerprint}\0{store}\0".encode())
    package = Path(__file__).parent
    for path in _builder_files():
        digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes() + b"\0")
    for volume in volumes:
        about = {f.name: getattr(volume, f.name) for f in dataclasses.fields(volume) if f.name != "papers"}
        digest.update(json.dumps(about, sort_keys=True, ensure_ascii=False).encode() + b"\0")
        for paper in volume.papers:
            key = cache.key(paper)
            try:
                entry = cache.path(key).read_bytes()
            except OSError:
                return None
            digest.update(key.encode() + b"\0" + hashlib.sha256(entry).digest())
    return digest.hexdigest()
