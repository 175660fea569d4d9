"""The words stream's derived tables, written into the store by ``orderwatch build``.

``derive(read)`` reads the base tables ``speeches`` and ``documents`` and returns:

text_positions
    positions shape (iso3, year, axis, position, lo, hi, n, method): method 'pooled'
    (the words stream's published figure: all of a state's texts of a year pooled,
    sentence by sentence, smoothed over years; :mod:`orderwatch.text.pooled`) and method
    'codebook' (each General Debate speech on its own, unsmoothed), A1-A3 and overall.
    Focused Wordscores is no longer derived (it learned topics and names; see
    docs/text.md); ``Wordscores`` stays callable.
text_evidence
    every matched passage: doc_ref, source, iso3, year, date, frame, pole, axis, text,
    start, end (character offsets into the stored text), passage (its sentence), rejected,
    stance (endorse / reject / describe; described passages count for neither pole).
text_frame_counts
    source, language, year, frame, count, n_docs over the official documents (the MFA
    press conferences, Xi's speeches, reports, US texts).
text_documents
    per official document: doc_id, source, language, iso3, date, year, position, lo, hi,
    n, relevance (codebook, overall).
text_relevance
    per speech: iso3, year, relevance, n_sentences, n_matches.
text_speech_frames
    per speech: iso3, year, frame, axis, pole, count, rate (per 10,000 characters).
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd

from orderwatch import countries
from orderwatch.schema import POSITION_COLUMNS
from orderwatch.text.codebook import AXES, default_matcher
from orderwatch.text.combined import COUNT_COLUMNS, sentence_counts, sentence_scores
from orderwatch.text.pooled import smooth, yearly_observations
from orderwatch.text.scoring import score_codebook

EVIDENCE_COLUMNS = ["doc_ref", "source", "iso3", "year", "date", "frame", "pole", "axis", "text",
                    "start", "end", "passage", "rejected", "stance"]


def _evidence_rows(ev: list[dict], doc_ref: str, source: str, iso3: str, year, date) -> list[dict]:
    return [{"doc_ref": doc_ref, "source": source, "iso3": iso3, "year": year, "date": date,
             **{k: e[k] for k in ("frame", "pole", "axis", "text", "start", "end", "passage", "rejected",
                                  "stance")}}
            for e in ev]


def speech_positions(speeches: pd.DataFrame, states: list[str], n_boot: int = 500,
                     random_state: int = 0, relevant: dict | None = None, sentences: list | None = None
                     ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Codebook positions, evidence and relevance for the speeches of ``states``.

    If ``relevant`` is a dict, it is filled with ``{(iso3, year): (relevant_text,
    n_relevant_sentences)}`` for the focused scaling.  If ``sentences`` is a list, each
    speech's ``(iso3, year, sentence_counts)`` is appended (the pooled positions' input,
    from the same scan).
    """
    m = default_matcher()
    pos, evid, rel = [], [], []
    sub = speeches[speeches.iso3.isin(states)]
    for iso3, year, text in sub[["iso3", "year", "text"]].itertuples(index=False):
        found = m.find(text, with_relevance=True)
        r = score_codebook(text, matcher=m, n_boot=n_boot, random_state=random_state,
                           relevant_text=relevant is not None, found=found)
        if sentences is not None:
            sentences.append((iso3, int(year), sentence_counts(text, found=found)))
        if relevant is not None:
            relevant[(iso3, int(year))] = (r["relevant_text"], int(round(r["relevance"] * r["n_sentences"])))
        for axis in AXES + ("overall",):
            c = r["axes"][axis] if axis != "overall" else {"position": r["position"],
                                                            "interval": r["interval"], "n": r["n"]}
            lo, hi = c["interval"]
            pos.append({"iso3": iso3, "year": int(year), "axis": axis,
                        "position": np.nan if c["position"] is None else c["position"],
                        "lo": np.nan if lo is None else lo, "hi": np.nan if hi is None else hi,
                        "n": c["n"], "method": "codebook"})
        evid += _evidence_rows(r["evidence"], f"ungdc:{iso3}:{int(year)}", "ungdc", iso3, int(year), None)
        rel.append({"iso3": iso3, "year": int(year), "relevance": r["relevance"],
                    "n_sentences": r["n_sentences"], "n_matches": r["n_matches"]})
    return (pd.DataFrame(pos, columns=POSITION_COLUMNS), pd.DataFrame(evid, columns=EVIDENCE_COLUMNS),
            pd.DataFrame(rel, columns=["iso3", "year", "relevance", "n_sentences", "n_matches"]))


def document_scores(documents: pd.DataFrame, n_boot: int = 200, random_state: int = 0,
                    sentences: list | None = None, states: list[str] | None = None
                    ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Codebook scores and evidence for official documents (English and Chinese).

    If ``sentences`` is a list, the ``(iso3, year, sentence_counts)`` of each dated
    document of ``states`` is appended (from the same scan).
    """
    m = default_matcher()
    rows, evid = [], []
    cols = ["doc_id", "source", "language", "iso3", "date", "year", "text"]
    for doc_id, source, lang, iso3, date, year, text in documents[cols].itertuples(index=False):
        text = text or ""
        found = m.find(text, with_relevance=True)
        r = score_codebook(text, matcher=m, n_boot=n_boot, random_state=random_state, found=found)
        y = None if pd.isna(year) else int(year)
        if sentences is not None and y is not None and text and (states is None or iso3 in states):
            sentences.append((iso3, y, sentence_counts(text, found=found)))
        lo, hi = r["interval"]
        rows.append({"doc_id": doc_id, "source": source, "language": lang, "iso3": iso3, "date": date,
                     "year": y, "position": np.nan if r["position"] is None else r["position"],
                     "lo": np.nan if lo is None else lo, "hi": np.nan if hi is None else hi,
                     "n": r["n"], "relevance": r["relevance"]})
        evid += _evidence_rows(r["evidence"], f"doc:{doc_id}", source, iso3, y, date)
    return pd.DataFrame(rows), pd.DataFrame(evid, columns=EVIDENCE_COLUMNS)


def frame_counts(evidence: pd.DataFrame) -> pd.DataFrame:
    """Year-by-year frame counts (and documents containing the frame) per source and language."""
    if evidence.empty:
        return pd.DataFrame(columns=["source", "language", "year", "frame", "count", "n_docs"])
    ev = evidence.dropna(subset=["year"])
    g = ev.groupby(["source", "language", "year", "frame"])
    out = g.size().rename("count").to_frame().join(g.doc_ref.nunique().rename("n_docs")).reset_index()
    out["year"] = out["year"].astype("int64")
    return out.sort_values(["source", "language", "year", "frame"], ignore_index=True)


def speech_frame_counts(evidence: pd.DataFrame, speeches: pd.DataFrame) -> pd.DataFrame:
    """Frame counts and rates (per 10,000 characters) per speech (country-year)."""
    cols = ["iso3", "year", "frame", "axis", "pole", "count", "rate"]
    if evidence.empty:
        return pd.DataFrame(columns=cols)
    g = evidence.groupby(["iso3", "year", "frame", "axis", "pole"]).size().rename("count").reset_index()
    chars = speeches.assign(n_chars=speeches.text.str.len())[["iso3", "year", "n_chars"]]
    g = g.merge(chars, on=["iso3", "year"], how="left")
    g["rate"] = g["count"] * 10_000 / g["n_chars"]
    return g[cols].sort_values(["iso3", "year", "frame"], ignore_index=True)


def pooled_sentences(speeches: pd.DataFrame, documents: pd.DataFrame, states: list[str],
                     learned=None, counted: list | None = None) -> pd.DataFrame:
    """Security-relevant sentences of every text of ``states`` (speeches and documents),
    with iso3, year, the codebook counts and the combined rule's score (the input of the
    pooled positions; without ``learned`` only sentences with codebook matches score).

    ``counted``: ``(iso3, year, sentence_counts(text))`` already computed for every text
    (as ``derive`` collects them while scoring); otherwise the texts are scanned here.
    """
    if counted is None:
        texts = [(i, int(y), t) for i, y, t in speeches[speeches.iso3.isin(states)][["iso3", "year", "text"]]
                 .itertuples(index=False)]
        d = documents[documents.iso3.isin(states) & documents.year.notna()]
        texts += [(i, int(y), t) for i, y, t in d[["iso3", "year", "text"]].itertuples(index=False) if t]
        counted = [(iso3, year, sentence_counts(text)) for iso3, year, text in texts]
    keys, sents, counts = [], [], []
    for iso3, year, (s, _, c) in counted:
        keys += [(iso3, year)] * len(s)
        sents += s
        counts.append(c)
    counts = np.concatenate(counts) if counts else np.zeros((0, len(COUNT_COLUMNS)))
    p = None
    if learned is not None and sents:
        # One vectorised pass of the learned scorer over the sentences without codebook counts.
        todo = counts[:, :3].sum(axis=1) == 0
        p = np.full(len(sents), np.nan)
        p[todo] = learned.sentence_proba([s for s, t in zip(sents, todo) if t])
    out = pd.DataFrame(counts, columns=COUNT_COLUMNS)
    out.insert(0, "iso3", [k[0] for k in keys])
    out.insert(1, "year", np.asarray([k[1] for k in keys], dtype=np.int64))
    out["score"] = sentence_scores(counts, p)
    return out


def official_references(documents: pd.DataFrame) -> dict[str, str]:
    """Official texts added to the focused scaling's poles (see docs/text.md).

    CHN: the MFA's English press conferences (2018-2020); USA: the White House
    Indo-Pacific texts (2021-2026).  Both are official statements, so adding one to each
    pole keeps the genre balanced; on known groups (US allies vs China-aligned states,
    2012-2024) the gap between group means rises from 0.09 to 0.28 with them.
    """
    d = documents
    out = {}
    mfa = d[(d.source == "china_mfa") & (d.language == "en")].text.dropna()
    us = d[(d.source == "us_official") & (d.language == "en")].text.dropna()
    if len(mfa):
        out["CHN"] = "\n".join(mfa)
    if len(us):
        out["USA"] = "\n".join(us)
    return out


def _ns_dates(values: pd.Series) -> pd.Series:
    """Dates as datetime64[ns]; a date pandas cannot hold in nanoseconds (years before 1677
    or after 2262: only in stores written before ingest checked date ranges) becomes NaT
    instead of failing the build (the row's ``year`` column still says when)."""
    d = pd.to_datetime(values, errors="coerce")
    if d.dtype != "datetime64[ns]":
        ok = d.isna() | ((d >= pd.Timestamp.min) & (d <= pd.Timestamp.max))
        d = d.where(ok).astype("datetime64[ns]")
    return d


def derive(read: Callable[[str], pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Build the words stream's tables from the store's ``speeches`` and ``documents``.

    Parameters
    ----------
    read : callable
        ``read(name)`` returns a base table of the store as a DataFrame.

    Returns
    -------
    dict with text_positions, text_evidence, text_frame_counts, text_documents,
    text_relevance, text_speech_frames (see the module docstring).
    """
    speeches = read("speeches")
    documents = read("documents")
    states = countries.observed()
    counted: list = []
    cb_pos, sp_ev, rel = speech_positions(speeches, states, sentences=counted)
    docs, doc_ev = document_scores(documents, sentences=counted, states=set(states))
    # Codebook sentences only: with the learned scorer added, the country-years separate
    # known groups far less well (docs/text.md, "Country-year positions").
    sent = pooled_sentences(speeches, documents, states, learned=None, counted=counted)
    pooled, _ = smooth(yearly_observations(sent))
    positions = pd.concat([pooled, cb_pos], ignore_index=True)
    positions = positions.sort_values(["iso3", "year", "method", "axis"], ignore_index=True)
    speech_frames = speech_frame_counts(sp_ev, speeches)
    doc_ev = doc_ev.merge(documents[["doc_id", "language"]].assign(doc_ref="doc:" + documents.doc_id)
                          [["doc_ref", "language"]], on="doc_ref", how="left")
    counts = frame_counts(doc_ev)
    sp_ev = sp_ev.assign(date=pd.NaT)
    doc_ev = doc_ev.assign(date=_ns_dates(doc_ev["date"]))
    evidence = pd.concat([sp_ev, doc_ev[EVIDENCE_COLUMNS]], ignore_index=True)
    evidence["year"] = evidence["year"].astype("Int64")
    evidence["date"] = _ns_dates(evidence["date"])
    docs["date"] = _ns_dates(docs["date"])
    docs["year"] = docs["year"].astype("Int64")
    return {"text_positions": positions, "text_evidence": evidence, "text_frame_counts": counts,
            "text_documents": docs, "text_relevance": rel, "text_speech_frames": speech_frames}
