"""A bounded YAML loader for files that users hand us (ingest manifests, claim ledgers).

PyYAML's ``safe_load`` constructs only plain data, but it is not bounded: a few hundred
bytes of nested aliases expand into billions of nodes once anything walks the result
(``str()``, JSON, validation), 20,000 nested brackets overflow the composer's recursion,
and an impossible date (``2023-02-30``) escapes as a bare ``ValueError``. This loader

* refuses text over ``max_bytes`` before scanning it;
* walks the parser's event stream first (no nodes built, no recursion) and counts nodes
  *as expanded*: an alias adds the whole size of the node it repeats, so a document that
  is small on disk but huge once walked is refused at the event where it passes
  ``max_nodes``;
* refuses more than ``max_aliases`` aliases, recursive aliases (a node containing
  itself), and nesting deeper than ``max_depth`` (counted through aliases too);
* only then composes and constructs the document (with libyaml when installed);
* turns every construction failure (impossible dates, integers beyond Python's digit
  limit) into a YAML error with its line.

:func:`load` raises :class:`~orderwatch.errors.InputError` naming the file and line.
"""

from __future__ import annotations

from typing import Any

import yaml

from orderwatch.errors import InputError

MAX_BYTES = 5 * 1024 * 1024
MAX_NODES = 200_000
MAX_DEPTH = 64
MAX_ALIASES = 1_000


class LimitError(yaml.MarkedYAMLError):
    """A document beyond one of the loader's limits (a YAMLError, so callers catch one type)."""


# libyaml when present: its parser is a loop (no recursion) and 10-20x faster than PyYAML's
_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def check_limits(text: str, max_nodes: int = MAX_NODES, max_depth: int = MAX_DEPTH,
                 max_aliases: int = MAX_ALIASES) -> None:
    """Walk the parser's events (no nodes are built) and raise LimitError at the first limit
    passed. Sizes and heights are counted as expanded: an alias adds those of its anchor."""
    size: dict[str, tuple[int, int]] = {}  # anchor -> (expanded nodes, height)
    stack: list[list] = []  # open collections: [anchor, nodes before it, tallest child]
    count = aliases = 0

    def add(n: int, height: int, mark) -> None:
        nonlocal count
        count += n
        if count > max_nodes:
            raise LimitError(None, None, f"more than {max_nodes:,} values once aliases are expanded", mark)
        if len(stack) + height > max_depth:
            raise LimitError(None, None, f"nested deeper than {max_depth} levels", mark)
        if stack:
            stack[-1][2] = max(stack[-1][2], height)

    for event in yaml.parse(text, Loader=_BASE):
        mark = event.start_mark
        if isinstance(event, yaml.ScalarEvent):
            add(1, 1, mark)
            if event.anchor is not None:
                size[event.anchor] = (1, 1)
        elif isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > max_aliases:
                raise LimitError(None, None, f"more than {max_aliases} aliases", mark)
            if any(entry[0] == event.anchor for entry in stack):
                raise LimitError(None, None, f"alias *{event.anchor} is inside the node it names", mark)
            add(*size.get(event.anchor, (1, 1)), mark)  # an unknown anchor: the composer refuses it
        elif isinstance(event, yaml.CollectionStartEvent):
            if len(stack) + 1 > max_depth:
                raise LimitError(None, None, f"nested deeper than {max_depth} levels", mark)
            count += 1
            stack.append([event.anchor, count - 1, 0])
        elif isinstance(event, yaml.CollectionEndEvent):
            anchor, before, tallest = stack.pop()
            height = tallest + 1
            if anchor is not None:
                size[anchor] = (count - before, height)
            add(0, height, mark)


class StrictLoader(_BASE):
    """Safe loader whose construction failures (an impossible date, an integer beyond
    Python's digit limit, a value under an explicit tag it cannot hold) are YAML errors
    with their line, not bare exceptions."""

    max_depth = MAX_DEPTH

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep=deep)
        except yaml.YAMLError:
            raise
        # 2023-02-30 (ValueError), a 5,000-digit integer (ValueError), explicit tags on values
        # they cannot hold: `!!timestamp 2024-99-99` (AttributeError), `!!bool maybe` (KeyError)
        except Exception as exc:  # noqa: BLE001
            raise yaml.constructor.ConstructorError(
                None, None, f"invalid value {str(node.value)[:40]!r}: {str(exc)[:80]}", node.start_mark) from None


class LineLoader(StrictLoader):
    """StrictLoader that records the (1-based) line of every mapping as ``__line__`` and of
    each of its keys in ``__lines__`` (so that an error can point at the offending field)."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        mapping["__lines__"] = {k.value: k.start_mark.line + 1 for k, _ in node.value
                                if isinstance(k, yaml.ScalarNode)}
        return mapping


def load(text: str, name: str, loader: type[StrictLoader] = StrictLoader, max_bytes: int = MAX_BYTES) -> Any:
    """Parse one YAML document from ``text`` within the limits; InputError names file and line."""
    if len(text) > max_bytes:
        raise InputError(name, f"YAML text is {len(text):,} characters; the limit is {max_bytes:,}")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(name, f"not valid Unicode (a lone surrogate at character {exc.start})",
                         text.count("\n", 0, exc.start) + 1) from None
    try:
        check_limits(text)
        return yaml.load(text, Loader=loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(name, f"not valid YAML: {problem}", None if mark is None else mark.line + 1) from None
    except RecursionError:  # a limit above should come first; never let it escape as a traceback
        raise InputError(name, f"not valid YAML: nested too deeply (limit {loader.max_depth})") from None
