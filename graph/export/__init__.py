"""Exports: the only stage that knows output formats (tables, HTML, reports)."""
