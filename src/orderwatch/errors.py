"""Errors that the CLI turns into one-line messages with exit code 1."""

from __future__ import annotations

import difflib
from typing import Iterable


class OrderwatchError(Exception):
    """A data or domain error: the message names what was wrong and where."""


class UnknownCountryError(OrderwatchError, KeyError):
    """A country name or code that the registry does not know."""

    def __init__(self, query: str, suggestions: list[str]):
        self.query = query
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown country {query!r}{hint}")

    def __str__(self) -> str:  # KeyError would quote the message
        return self.args[0]


class InputError(OrderwatchError):
    """Bad user input: names the file, the line and the field."""

    def __init__(self, file: str, message: str, line: int | None = None, field: str | None = None):
        self.file, self.line, self.field = file, line, field
        where = file + (f", line {line}" if line is not None else "") + (f", field {field!r}" if field else "")
        super().__init__(f"{where}: {message}")


class NoSharedVotesError(OrderwatchError):
    """Two states share no roll call in the period asked for."""


def closest(query: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    return difflib.get_close_matches(query, list(candidates), n=n, cutoff=0.5)
