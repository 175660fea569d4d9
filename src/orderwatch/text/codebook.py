"""The bilingual codebook and its matcher: frames, patterns, word boundaries, rejection.

The codebook (``codebook.yaml`` beside this file, versioned) lists frames of the two
order concepts by axis and pole.  :class:`Matcher` finds every pattern in a text in one
pass: all patterns (English and Chinese) go into one Aho-Corasick automaton over the
ASCII-lowercased UTF-8 bytes of the text (Aho & Corasick 1975), so the scan cost does not
grow with the number of patterns.  Candidate matches are then checked:

* English: the bytes either side must not be ASCII letters or digits (word boundaries,
  so "quad" does not match inside "quadruple").
* Chinese: the match must start and end on jieba token boundaries of its sentence, so
  印度 does not match inside 印度尼西亚 (jieba: Sun 2012, https://github.com/fxsjy/jieba).
* Stance (version 2, :mod:`orderwatch.text.stance`): each match is classed from its
  sentence as endorse (counts for the frame's pole), reject (counts for the other pole,
  the frame named by ``rejected_as``: "the so-called rules-based order" is a GSI-pole
  passage) or describe (counts for neither: UNCLOS cited without the award or the
  US/allied framing).
* Traditional Chinese is converted to simplified (OpenCC ``t2s``, character for
  character, so offsets into the original text stay exact) before matching.

References
----------
Aho, A. V. & Corasick, M. J. (1975). Efficient string matching: an aid to bibliographic
search. Communications of the ACM 18(6), 333-340.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
import numpy as np
import yaml

from orderwatch.errors import OrderwatchError
from orderwatch.schema import SUBSTANTIVE_AXES as AXES  # "overall" is derived, never coded
from orderwatch.text.stance import DESCRIBE, ENDORSE, REJECT, StanceRules

POLE_SIGN = {"gsi": -1, "us": 1, "middle": 0}
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Sentence ends: Latin terminal punctuation followed by space, CJK terminal punctuation,
# or a blank line.  No look-behinds: the regex engine can then skip ahead by first char.
_SENT_END = re.compile(r"[.!?;][\"'”’)\]]*\s+|[。！？；]+[\"'”’」』)\]]*\s*|\n\s*\n")
RELEVANCE = "_relevance"
#: Frame id of the masked phrases: matched (so a frame's shorter pattern inside them is not)
#: but never counted ("carbon neutrality" is not neutrality between the great powers).
MASKED = "_masked"


@dataclass(frozen=True)
class Frame:
    """One frame of the codebook."""

    id: str
    axis: str
    pole: str
    definition: str
    en: tuple[str, ...] = ()
    zh: tuple[str, ...] = ()
    weight: float = 1.0
    rejected_as: str | None = None
    examples: tuple[dict, ...] = ()
    contextual: frozenset = frozenset()  # patterns that need an anchor to count (see stance.py)

    @property
    def sign(self) -> int:
        return POLE_SIGN[self.pole]


@dataclass
class Codebook:
    """The parsed codebook: frames by id, rejection cues, relevance vocabulary."""

    version: str
    frames: dict[str, Frame]
    rejection_cues: dict[str, tuple[str, ...]]
    relevance: dict[str, tuple[str, ...]]
    source: str = "orderwatch/text/codebook.yaml"
    stance: dict | None = None
    masked: dict[str, tuple[str, ...]] | None = None

    @classmethod
    def from_dict(cls, data: dict, source: str = "<dict>") -> "Codebook":
        frames = {}
        for raw in data.get("frames", []):
            f = Frame(id=raw["id"], axis=raw["axis"], pole=raw["pole"], definition=raw["definition"],
                      en=tuple(p.lower() for p in raw.get("en", []) or []),
                      zh=tuple(raw.get("zh", []) or []), weight=float(raw.get("weight", 1.0)),
                      rejected_as=raw.get("rejected_as"),
                      examples=tuple(raw.get("examples", []) or []),
                      contextual=frozenset(p.lower() for p in raw.get("contextual", []) or []))
            if not f.contextual <= set(f.en) | set(f.zh):
                raise OrderwatchError(f"{source}: frame {f.id!r} lists contextual patterns it does not have: "
                                      f"{sorted(f.contextual - set(f.en) - set(f.zh))}")
            if f.axis not in AXES or f.pole not in POLE_SIGN:
                raise OrderwatchError(f"{source}: frame {f.id!r} has axis {f.axis!r} / pole {f.pole!r}")
            if f.id in frames:
                raise OrderwatchError(f"{source}: duplicate frame id {f.id!r}")
            frames[f.id] = f
        for f in frames.values():
            if f.rejected_as is not None:
                target = frames.get(f.rejected_as)
                if target is None or target.pole == f.pole or "middle" in (f.pole, target.pole):
                    raise OrderwatchError(f"{source}: frame {f.id!r} rejected_as {f.rejected_as!r} "
                                          "must name a frame of the other pole")
        cues = {k: tuple(v) for k, v in (data.get("rejection_cues") or {}).items()}
        rel = {k: tuple(v) for k, v in (data.get("relevance") or {}).items()}
        masked = {k: tuple(v) for k, v in (data.get("masked") or {}).items()}
        return cls(version=str(data.get("version", "0")), frames=frames, rejection_cues=cues,
                   relevance=rel, source=source, stance=data.get("stance") or {}, masked=masked)

    def to_frame_table(self):
        """The codebook as a DataFrame (one row per frame), for docs and the web."""
        import pandas as pd

        return pd.DataFrame([{"frame": f.id, "axis": f.axis, "pole": f.pole, "sign": f.sign,
                              "weight": f.weight, "definition": f.definition,
                              "n_patterns_en": len(f.en), "n_patterns_zh": len(f.zh),
                              "rejected_as": f.rejected_as,
                              "example": f.examples[0]["text"] if f.examples else None}
                             for f in self.frames.values()])


@lru_cache(maxsize=1)
def load_codebook() -> Codebook:
    """The codebook shipped with the package."""
    text = resources.files("orderwatch.text").joinpath("codebook.yaml").read_text(encoding="utf-8")
    return Codebook.from_dict(yaml.safe_load(text), source="orderwatch/text/codebook.yaml")


@dataclass(frozen=True)
class Match:
    """One matched passage; ``start``/``end`` are character offsets into the text."""

    frame: str
    axis: str
    pole: str
    sign: int
    weight: float
    start: int
    end: int
    text: str
    rejected: bool = False
    stance: str = ENDORSE  # endorse | reject | describe (describe counts for neither pole)

    @property
    def counts(self) -> bool:
        """Whether the match counts in a position (described matches do not)."""
        return self.stance != DESCRIBE


def sentence_spans(text: str) -> np.ndarray:
    """Character spans of sentences as an (n, 2) int array; one span for text without ends."""
    starts, ends, pos = [], [], 0
    for m in _SENT_END.finditer(text):
        if m.end() > pos:
            starts.append(pos)
            ends.append(m.end())
            pos = m.end()
    if pos < len(text):
        starts.append(pos)
        ends.append(len(text))
    if not starts:
        return np.zeros((0, 2), dtype=np.int64)
    return np.column_stack([starts, ends]).astype(np.int64)


@lru_cache(maxsize=1)
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    return tok


def jieba_boundaries(sentence: str) -> set[int]:
    """Offsets in ``sentence`` where jieba places a token boundary."""
    out = {0}
    for _, s, e in _jieba().tokenize(sentence):
        out.add(s)
        out.add(e)
    return out


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """``text`` with traditional Chinese characters made simplified, same length.

    OpenCC's t2s conversion (phrase tables, then characters) keeps the length for all
    but rare phrases; if a conversion changes the length, each character is converted on
    its own so that character offsets still index the original text.
    """
    if not _CJK.search(text):
        return text
    out = _t2s().convert(text)
    if len(out) == len(text):
        return out
    conv = _t2s().convert
    return "".join(c2 if len(c2 := conv(c)) == 1 else c for c in text)


def _is_word_byte(b: int) -> bool:
    return (48 <= b <= 57) or (65 <= b <= 90) or (97 <= b <= 122)


def _trie_regex(keys: list[bytes]) -> bytes:
    """A regex matching any of ``keys``, longest first at each position, built as a trie."""
    root: dict = {}
    for k in keys:
        node = root
        for b in k:
            node = node.setdefault(b, {})
        node[-1] = True  # end of a key

    def build(node: dict) -> bytes:
        end = -1 in node
        alts = [re.escape(bytes([b])) + build(child) for b, child in sorted(
            ((b, c) for b, c in node.items() if b != -1))]
        if not alts:
            return b""
        body = alts[0] if len(alts) == 1 else b"(?:" + b"|".join(alts) + b")"
        return b"(?:" + body + b")?" if end else body

    return build(root)


@dataclass
class _Pattern:
    frame: str | None  # None for relevance vocabulary
    lang: str
    text: str


class Matcher:
    """Find codebook frames (and relevance vocabulary) in texts.

    Parameters
    ----------
    codebook : Codebook, optional
        Defaults to the packaged codebook.
    engine : {'auto', 'aho', 'regex'}
        'aho' uses the ``ahocorasick_rs`` automaton (fast); 'regex' one compiled
        alternation (pure Python, slower, same results).  'auto' picks 'aho' if installed.
    """

    def __init__(self, codebook: Codebook | None = None, engine: str = "auto"):
        self.codebook = codebook or load_codebook()
        self.engine = engine
        pats: dict[bytes, _Pattern] = {}
        for f in self.codebook.frames.values():
            for lang in ("en", "zh"):
                for p in getattr(f, lang):
                    pats.setdefault(p.lower().encode("utf-8"), _Pattern(f.id, lang, p))
        for lang, words in (self.codebook.masked or {}).items():
            for p in words:
                pats.setdefault(p.lower().encode("utf-8"), _Pattern(MASKED, lang, p))
        for lang, words in self.codebook.relevance.items():
            for p in words:
                pats.setdefault(p.lower().encode("utf-8"), _Pattern(None, lang, p))
        self._keys = list(pats)
        self._pats = [pats[k] for k in self._keys]
        self._scan = self._build(engine)
        en = sorted(self.codebook.rejection_cues.get("en", ()), key=len, reverse=True)
        zh = sorted(self.codebook.rejection_cues.get("zh", ()), key=len, reverse=True)
        self._stance = StanceRules(self.codebook.rejection_cues, self.codebook.stance or {})

    def _build(self, engine: str):
        if engine in ("auto", "aho"):
            try:
                import ahocorasick_rs as ar
            except ImportError:
                if engine == "aho":
                    raise
            else:
                # The DFA form costs memory once (a few MB for this codebook) and scans
                # about 3x faster than the default NFA on the General Debate corpus.
                kw = {"implementation": ar.Implementation.DFA} if hasattr(ar, "Implementation") else {}
                ac = ar.BytesAhoCorasick(self._keys, matchkind=ar.MatchKind.LeftmostLongest, **kw)
                return lambda data: ac.find_matches_as_indexes(data, overlapping=False)
        # Pure-Python fallback: the patterns as one trie-shaped regex (shared prefixes are
        # tried once per position); greedy alternatives give the longest pattern at the
        # leftmost position, as the automaton does.
        rx = re.compile(_trie_regex(self._keys))
        lookup = {k: i for i, k in enumerate(self._keys)}
        return lambda data: [(lookup[m.group()], m.start(), m.end()) for m in rx.finditer(data)]

    def raw_hits(self, data: bytes) -> list[tuple[int, int, int]]:
        """(pattern index, byte start, byte end) over lowercased UTF-8 bytes, boundary-checked
        for English patterns only (Chinese patterns are checked against jieba later)."""
        out = []
        n = len(data)
        for k, s, e in self._scan(data):
            if self._pats[k].lang == "en":
                if s > 0 and _is_word_byte(data[s - 1]):
                    continue
                if e < n and _is_word_byte(data[e]):
                    continue
            out.append((k, s, e))
        return out

    def scan_corpus(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Raw hits over many texts in one automaton pass (the fast path for counting).

        The texts are joined with newlines and scanned once; hits are mapped back to
        their text.  English hits are boundary-checked; Chinese hits are not
        (use :meth:`find` for evidence-grade matches).

        Returns
        -------
        doc, pattern, start, end : int arrays (byte offsets within each text's UTF-8)
        """
        data = to_simplified("\n".join(texts)).encode("utf-8").lower()
        lens = np.fromiter((len(t.encode("utf-8")) + 1 for t in texts), dtype=np.int64, count=len(texts))
        offsets = np.concatenate([[0], np.cumsum(lens)])
        hits = np.asarray(self.raw_hits(data), dtype=np.int64).reshape(-1, 3)
        doc = np.searchsorted(offsets, hits[:, 1], side="right") - 1
        return doc, hits[:, 0], hits[:, 1] - offsets[doc], hits[:, 2] - offsets[doc]

    def pattern_frames(self) -> list[str | None]:
        """The frame id of each automaton pattern (None for relevance vocabulary)."""
        return [p.frame for p in self._pats]

    def find(self, text: str, with_relevance: bool = False):
        """Frame matches in ``text`` (and relevance hits if asked).

        Returns
        -------
        matches : list of Match
        relevance : list of (start, end) character spans of relevance vocabulary
            (only if ``with_relevance``).
        """
        original = text
        text = to_simplified(text)
        data = text.encode("utf-8").lower()
        hits = self.raw_hits(data)
        if not hits:
            return ([], []) if with_relevance else []
        if len(data) == len(text):  # pure ASCII: byte offsets are character offsets
            char_of = None
        else:
            # char index of each byte: count of UTF-8 lead bytes before it.
            arr = np.frombuffer(data, dtype=np.uint8)
            char_of = np.concatenate([[0], np.cumsum((arr & 0xC0) != 0x80)])
        spans = None
        bounds: dict[int, set[int]] = {}
        matches, rel = [], []
        frames = self.codebook.frames
        for k, bs, be in hits:
            s, e = (bs, be) if char_of is None else (int(char_of[bs]), int(char_of[be]))
            pat = self._pats[k]
            if pat.lang == "zh" or pat.frame is not None:
                if spans is None:
                    spans = sentence_spans(text)
                i = int(np.searchsorted(spans[:, 0], s, side="right")) - 1 if len(spans) else -1
                ss, se = (int(spans[i, 0]), int(spans[i, 1])) if i >= 0 else (0, len(text))
            if (pat.lang == "zh" and e - s <= ZH_SHORT
                    and not self._zh_boundary_ok(text, s, e, ss, se, bounds)):
                continue
            if pat.frame is None:
                rel.append((s, e))
                continue
            if pat.frame == MASKED:
                continue
            f = frames[pat.frame]
            stance = self._stance.classify(f, pat.text.lower(), pat.lang, text[ss:se].lower(), s - ss, e - s)
            if stance == REJECT:
                f = frames[f.rejected_as]
            matches.append(Match(f.id, f.axis, f.pole, f.sign, f.weight, s, e, original[s:e],
                                 stance == REJECT, stance))
        return (matches, rel) if with_relevance else matches

    @staticmethod
    def _zh_boundary_ok(text: str, s: int, e: int, ss: int, se: int, cache: dict) -> bool:
        # Only a CJK character touching the match can make a false boundary; then jieba
        # segments a window of the sentence around the match (its dictionary look-up
        # is local, and a whole-sentence cut for every hit is what made this slow).
        before = s > ss and _CJK.match(text[s - 1])
        after = e < se and _CJK.match(text[e])
        if not before and not after:
            return True
        ws, we = max(ss, s - 10), min(se, e + 10)
        key = (ws, we)
        if key not in cache:
            cache[key] = {b + ws for b in jieba_boundaries(text[ws:we])}
        return s in cache[key] and e in cache[key]


#: Chinese patterns up to this many characters must sit on jieba word boundaries (印度 is
#: not 印度尼西亚). Longer ones are phrases: jieba joins their edge to a neighbour more often
#: than one is part of a longer word (国际上以规则为基础的国际秩序 segments as 国际/上以/规则, which
#: would drop 以规则为基础的国际秩序).
ZH_SHORT = 3


@lru_cache(maxsize=2)
def default_matcher(engine: str = "auto") -> Matcher:
    return Matcher(engine=engine)


__all__ = ["Codebook", "Frame", "Match", "Matcher", "load_codebook", "default_matcher", "to_simplified",
           "sentence_spans", "jieba_boundaries", "POLE_SIGN", "AXES"]
