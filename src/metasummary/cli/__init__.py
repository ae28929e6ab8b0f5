"""The command line: a thin client of :class:`metasummary.Project`."""

from metasummary.cli.app import app, command, main

__all__ = ["app", "command", "main"]
