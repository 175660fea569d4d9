"""A bounded YAML loader for files that users hand us (ingest manifests, claim ledgers).

PyYAML's ``safe_load`` constructs only plain data, but it is not bounded: a few hundred
bytes of nested aliases expand into billions of nodes once anything walks the result
(``str()``, JSON, validation), 20,000 nested brackets overflow the composer's recursion,
and an impossible date (``2023-02-30``) escapes as a bare ``ValueError``. This loader

* refuses text over ``max_bytes`` before scanning it;
* counts nodes *as expanded*: an alias adds the whole size of the node it repeats, so
  a document that is small on disk but huge once walked is refused while it is being
  composed, at the point where it passes ``max_nodes``;
* refuses more than ``max_aliases`` aliases, recursive aliases (a node containing
  itself), and nesting deeper than ``max_depth`` (counted through aliases too);
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


class BoundedLoader(yaml.SafeLoader):
    """SafeLoader that enforces the limits above while composing the node graph."""

    max_nodes = MAX_NODES
    max_depth = MAX_DEPTH
    max_aliases = MAX_ALIASES

    def __init__(self, stream):
        super().__init__(stream)
        self._expanded = 0  # nodes of the document as a tree, aliases expanded
        self._aliases = 0
        self._depth = 0
        self._size: dict[int, tuple[int, int]] = {}  # id(node) -> (expanded nodes, height)
        self._open_anchors: set[str] = set()  # anchors of collections still being composed

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > self.max_aliases:
                raise LimitError(None, None, f"more than {self.max_aliases} aliases", event.start_mark)
            if event.anchor in self._open_anchors:
                raise LimitError(None, None, f"alias *{event.anchor} is inside the node it names",
                                 event.start_mark)
            node = super().compose_node(parent, index)  # the anchored node itself, shared
            size, height = self._size.get(id(node), (1, 1))
            self._count(size, self._depth + height, event.start_mark)
            return node
        self._depth += 1
        before = self._expanded
        self._count(1, self._depth, event.start_mark)
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            self._open_anchors.add(anchor)
        node = super().compose_node(parent, index)
        self._open_anchors.discard(anchor)
        if isinstance(node, yaml.SequenceNode):
            children = node.value
        elif isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        else:
            children = []
        height = 1 + max((self._size.get(id(c), (1, 1))[1] for c in children), default=0)
        self._size[id(node)] = (self._expanded - before, height)
        self._depth -= 1
        return node

    def _count(self, n: int, depth: int, mark) -> None:
        self._expanded += n
        if self._expanded > self.max_nodes:
            raise LimitError(None, None, f"more than {self.max_nodes:,} values once aliases are expanded", mark)
        if depth > self.max_depth:
            raise LimitError(None, None, f"nested deeper than {self.max_depth} levels", mark)

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, OverflowError) as exc:  # e.g. 2023-02-30, a 5,000-digit integer
            raise yaml.constructor.ConstructorError(
                None, None, f"invalid value {str(node.value)[:40]!r}: {str(exc)[:80]}", node.start_mark) from None


class LineLoader(BoundedLoader):
    """BoundedLoader that records the (1-based) line of every mapping as ``__line__`` and of
    each of its keys in ``__lines__`` (so that an error can point at the offending field)."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        mapping["__lines__"] = {k.value: k.start_mark.line + 1 for k, _ in node.value
                                if isinstance(k, yaml.ScalarNode)}
        return mapping


def load(text: str, name: str, loader: type[BoundedLoader] = BoundedLoader, max_bytes: int = MAX_BYTES) -> Any:
    """Parse one YAML document from ``text`` within the limits; InputError names file and line."""
    if len(text) > max_bytes:
        raise InputError(name, f"YAML text is {len(text):,} characters; the limit is {max_bytes:,}")
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(name, f"not valid YAML: {problem}", None if mark is None else mark.line + 1) from None
    except RecursionError:  # a limit above should come first; never let it escape as a traceback
        raise InputError(name, f"not valid YAML: nested too deeply (limit {loader.max_depth})") from None
