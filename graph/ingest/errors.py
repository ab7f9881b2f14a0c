"""The one error type ingest raises: a file that cannot be read, and why, in one line."""
from __future__ import annotations


class IngestError(Exception):
    """An input that could not be read. ``str(error)`` is the one-line message users see."""

    def __init__(self, path: str, cause: str) -> None:
        super().__init__(f"{path}: {cause}")
        self.path = path
        self.cause = cause
