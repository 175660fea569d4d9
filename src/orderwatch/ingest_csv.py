"""A strict CSV dialect for ingested files: records with the line each starts on.

Python's csv module is lenient by default: a quote that never closes swallows every
following line into one field and the file still "reads". Here

* line endings are normalised first (CRLF and CR-only files read like LF files);
* the reader is ``strict`` (a quote followed by anything but a separator is an error)
  and a record may not span lines: UN Digital Library exports and manifests have none,
  so a field holding a line break means a quote that did not close where it should;
* every csv.Error (including a field over the module's 131,072-character limit) becomes
  an InputError naming the file and the line;
* the header must hold the required columns, only known ones, each once, and every
  record exactly as many cells as the header.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from typing import Iterable, Iterator

from orderwatch.errors import InputError


def check_columns(file: str, columns: Iterable, required: tuple, optional: tuple, line: int | None = 1) -> None:
    """Refuse missing, unknown or repeated columns."""
    cols = [str(c).strip() for c in columns]
    missing = [c for c in required if c not in cols]
    if missing:
        raise InputError(file, f"missing column(s) {', '.join(missing)}; expected {', '.join(required)}", line)
    extra = [c for c in cols if c not in required + optional]
    if extra:
        shown = ", ".join(c[:40] for c in extra[:5]) + (f" and {len(extra) - 5:,} more" if len(extra) > 5 else "")
        raise InputError(file, f"unexpected column(s) {shown}; allowed: {', '.join(required + optional)}", line,
                         extra[0][:40])
    repeated = sorted(c for c, k in Counter(cols).items() if k > 1)
    if repeated:
        raise InputError(file, f"column(s) {', '.join(repeated)} appear more than once", line, repeated[0])


def csv_records(text: str, file: str, required: tuple, optional: tuple) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line, {column: value})`` for each non-blank record after the header."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    end = 0  # the last line of the previous record
    while True:
        start = end + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            where = start if reader.line_num <= start else f"{start}-{reader.line_num}"
            hint = " (a quote that does not close?)" if "end of data" in str(exc) else ""
            raise InputError(file, f"malformed CSV at line(s) {where}: {exc}{hint}", start) from None
        end = reader.line_num
        if end > start:
            name = header[_first_multiline(cells)] if header and _first_multiline(cells) < len(header) else None
            raise InputError(file, f"a quoted field runs over lines {start}-{end}; a quote that does not "
                             "close where it should?", start, name)
        if not cells:
            continue  # a blank line
        if header is None:
            check_columns(file, cells, required, optional, start)
            header = [c.strip() for c in cells]
            continue
        if len(cells) != len(header):
            more = "more" if len(cells) > len(header) else "fewer"
            raise InputError(file, f"{len(cells)} cells, {more} than the header's {len(header)} columns", start)
        yield start, dict(zip(header, cells))
    if header is None:
        raise InputError(file, "no header line", 1)


def _first_multiline(cells: list[str]) -> int:
    return next((i for i, c in enumerate(cells) if "\n" in c), len(cells))
