"""Stance of a codebook match from its sentence: endorse, reject or describe.

A frame's phrase in a text does not say which side the speaker is on: "the so-called
rules-based order" rejects it, a Chinese statement that UNCLOS must be respected
describes nothing American, North Korea's "war deterrent" is its own.  Each match is
classed from its sentence by written rules (the cue lists live in ``codebook.yaml``,
section ``stance``):

reject
    a rejection cue shortly before the term (40 characters in English, 8 in Chinese:
    "so-called", "oppose", "what the US calls", 所谓, 反对, 所说的 ...) unless a violation
    word stands between them ("opposes violations of international law", 反对违反国际法:
    the term is upheld, not rejected), or, for a US-pole
    term, a pejorative cue anywhere in its sentence ("double standards", "hegemonic",
    "Cold War mentality", 炒作, 鼓吹, 拉帮结派 ...) or a dismissal shortly after it ("null
    and void", 非法, 无效), or, for a GSI-pole term, a dismissal after it.
    Counts for the other pole (the frame's ``rejected_as``).
describe
    a US-pole term in a sentence reporting what someone claimed or alleged ("the State
    Department claimed ...", 声称, 指责); a ``contextual`` pattern (UNCLOS, international law, freedom of navigation, bare
    "deterrence", the Quad, AUKUS ...) whose sentence carries no anchor of the US/allied
    framing (the 2016 award, FONOPs, allies, "rules-based", "free and open", welcome,
    reaffirm ...); a generic denunciation ("power politics", "unilateralism", "bullying")
    whose sentence carries no anchor of the GSI framing (sanctions, blocs, interference,
    hegemonism, double standards, or a pledge never to seek it): Vietnam's "power politics
    and the use of force threaten peace" blames no pole; or a denunciation of hegemony
    aimed at China.  Counts for neither pole.
endorse
    everything else: counts for the frame's pole.

Frames that themselves denounce (Cold War mentality, bloc confrontation) have no
``rejected_as`` and are never flipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ENDORSE, REJECT, DESCRIBE = "endorse", "reject", "describe"
_PASSIVE = re.compile(r"\s+by\b", re.I)
# China's (or Russia's) breach of the term just before it: "Beijing's violations of UNCLOS".
_CHINA_BREACH = re.compile(
    r"\b(?:china|beijing|the prc|prc|russia|moscow)['’]s\s+(?:\w+\s+){0,3}?"
    r"(?:violations?|disregard|breach(?:es)?|contravention|flouting|defiance)\s+(?:of|for)\s+(?:the\s+)?$", re.I)
_LANGS = ("en", "zh")  # cues of both languages are looked for in every sentence


def _rx(words, boundary: bool) -> re.Pattern | None:
    words = sorted({w.lower() for w in words or ()}, key=len, reverse=True)
    if not words:
        return None
    body = "|".join(re.escape(w) for w in words)
    return re.compile(r"(?<![a-z0-9])(?:" + body + r")(?![a-z0-9])" if boundary else body, re.I)


@dataclass
class _Cues:
    before: re.Pattern | None
    in_sentence: re.Pattern | None
    after: re.Pattern | None
    gsi_after: re.Pattern | None
    anchors: re.Pattern | None
    china: re.Pattern | None
    negation: re.Pattern | None
    attribution: re.Pattern | None
    endorse: re.Pattern | None
    gsi_anchors: re.Pattern | None
    violated: re.Pattern | None


class StanceRules:
    """Compiled cue lists of the codebook's ``rejection_cues`` and ``stance`` sections."""

    def __init__(self, rejection_cues: dict, stance: dict):
        self.cues = {}
        for lang in ("en", "zh"):
            b = lang == "en"
            g = lambda key: (stance.get(key) or {}).get(lang, ())  # noqa: E731
            self.cues[lang] = _Cues(_rx(rejection_cues.get(lang, ()), b), _rx(g("reject_in_sentence"), b),
                                    _rx(g("reject_after"), b),
                                    _rx(g("gsi_reject_after"), b), _rx(g("anchors"), b),
                                    _rx(g("china_target"), b), _rx(g("self_negation"), b),
                                    _rx(g("attribution"), b), _rx(g("endorse_anchors"), b),
                                    _rx(g("gsi_anchors"), b), _rx(g("violated"), b))
        self.endorse_frames = frozenset(stance.get("endorse_anchored_frames") or ())

    def classify(self, frame, pattern: str, lang: str, sentence: str, offset: int, length: int) -> str:
        """Stance of ``pattern`` (a pattern of ``frame``) found at ``offset`` in ``sentence``.

        ``lang`` is the pattern's language; cues of both languages are looked for in a
        mixed sentence.
        """
        before = sentence[max(0, offset - (40 if lang == "en" else 8)):offset]
        after = sentence[offset + length:]
        near_after = after[:100 if lang == "en" else 30]
        rest = sentence[:offset] + " " + after  # the sentence without the term itself
        langs = _LANGS
        if frame.pole == "us" and _CHINA_BREACH.search(before) and not any(
                self._has(self.cues[lg].attribution, rest) for lg in langs):
            # "China's disregard for international law": the term upheld against China, the
            # US framing, whatever pejorative follows ("amid reports of unlawful conduct").
            return ENDORSE
        if frame.rejected_as is not None:
            if any(self._cue_before(self.cues[lg].before, before, self.cues[lg].violated) for lg in langs):
                return REJECT
            if frame.pole == "us" and any(self._has(self.cues[lg].in_sentence, rest)
                                          or self._has(self.cues[lg].after, near_after) for lg in langs):
                return REJECT
            if frame.pole == "gsi" and any(self._has(self.cues[lg].gsi_after, after) for lg in langs):
                return REJECT
        if frame.pole == "us" and any(self._has(self.cues[lg].attribution, rest) for lg in langs):
            return DESCRIBE
        if pattern in frame.contextual and not self._anchored(frame, rest):
            return DESCRIBE
        if frame.id == "a2_anti_hegemony":
            aimed_at_china = any(self._has(self.cues[lg].china, sentence) for lg in langs)
            if aimed_at_china and not any(self._has(self.cues[lg].negation, sentence) for lg in langs):
                return DESCRIBE
        return ENDORSE

    def _anchored(self, frame, rest: str) -> bool:
        """Whether a contextual pattern's sentence ties it to its own pole's framing."""
        langs = _LANGS
        if frame.pole == "gsi":
            # Generic denunciations ("power politics", "unilateralism") belong to the GSI
            # concept only when aimed at the US-led order (sanctions, blocs, interference,
            # hegemonism) or said of oneself ("China will never seek hegemony").
            return any(self._has(self.cues[lg].gsi_anchors, rest) or self._has(self.cues[lg].negation, rest)
                       for lg in langs)
        return any(self._has(self.cues[lg].anchors, rest) for lg in langs) or (
            frame.id in self.endorse_frames and any(self._has(self.cues[lg].endorse, rest) for lg in langs))

    @staticmethod
    def _cue_before(rx: re.Pattern | None, s: str, violated: re.Pattern | None) -> bool:
        # A passive cue ("claims rejected by the award") is not the speaker's rejection, and
        # neither is opposing a violation of the term ("opposes violations of international
        # law" upholds it).
        if rx is None or not s:
            return False
        return any(not _PASSIVE.match(s, m.end()) and not (violated and violated.search(s, m.end()))
                   for m in rx.finditer(s))

    @staticmethod
    def _has(rx: re.Pattern | None, s: str) -> bool:
        return bool(rx is not None and s and rx.search(s))


__all__ = ["StanceRules", "ENDORSE", "REJECT", "DESCRIBE"]
