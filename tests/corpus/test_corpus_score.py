"""`orderwatch corpus score`: every document scored exactly as the words stream scores one
text, partitions written whole (and resumed), the Dask engine equal to the local one, and
country-years pooled as the codebook pools counts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from orderwatch import bundled
from orderwatch.corpus import country_year_positions, documents, score_corpus
from orderwatch.corpus.score import part_paths
from orderwatch.text import score_codebook


@pytest.fixture(scope="module")
def speeches() -> pd.DataFrame:
    d = bundled.read("ungdc", columns=["iso3", "session", "year", "text"])
    asia = d[d.iso3.isin(["CHN", "USA", "PHL", "VNM", "JPN", "IND", "IDN", "SGP"]) & (d.year >= 2019)]
    return asia.sort_values(["iso3", "year"]).reset_index(drop=True)


@pytest.fixture(scope="module")
def text_folder(speeches, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("texts")
    for r in speeches.itertuples():
        (folder / f"{r.iso3}_{r.session}_{r.year}.txt").write_text(r.text, encoding="utf-8")
    return folder


def test_each_document_scores_as_the_words_stream_scores_it(speeches, text_folder, tmp_path):
    out = tmp_path / "out"
    r = score_corpus(text_folder, out, docs_per_partition=16, progress=False)
    assert r.documents == len(speeches) and r.partitions == -(-len(speeches) // 16)
    docs = documents(out).sort_values(["iso3", "year"]).reset_index(drop=True)
    assert docs[["iso3", "year"]].values.tolist() == speeches[["iso3", "year"]].values.tolist()
    for d, text in zip(docs.itertuples(), speeches.text):
        want = score_codebook(text)
        assert (d.position is None or np.isnan(d.position)) if want["position"] is None else \
            d.position == pytest.approx(want["position"])
        assert d.n == want["n"]
    # evidence spans are character offsets into the document
    ev = pd.read_parquet(out / "evidence")
    text_of = {(i, y): t for i, y, t in speeches[["iso3", "year", "text"]].itertuples(index=False)}
    sample = ev.sample(min(200, len(ev)), random_state=0)
    assert all(text_of[(e.iso3, e.year)][e.start:e.end] == e.text for e in sample.itertuples())
    meta = json.loads((out / "corpus.json").read_text())
    assert meta["complete"] and meta["codebook_version"] and len(meta["input_sha256"]) == 64


def test_country_years_pool_the_codebook_counts(speeches, text_folder, tmp_path):
    out = tmp_path / "out"
    score_corpus(text_folder, out, progress=False)
    # a second document for CHN 2023 pools with the first
    extra = tmp_path / "more"
    extra.mkdir()
    chn = speeches[(speeches.iso3 == "CHN") & (speeches.year == 2023)].text.iloc[0]
    usa = speeches[(speeches.iso3 == "USA") & (speeches.year == 2023)].text.iloc[0]
    for name, t in (("CHN_2023_a.txt", chn), ("CHN_2023_b.txt", usa)):
        (extra / name).write_text(t, encoding="utf-8")
    score_corpus(extra, tmp_path / "out2", progress=False)
    pos = country_year_positions(tmp_path / "out2")
    row = pos[(pos.iso3 == "CHN") & (pos.axis == "overall")].iloc[0]
    a, b = score_codebook(chn), score_codebook(usa)
    U = sum(a["axes"][x]["us"] + b["axes"][x]["us"] for x in ("A1", "A2", "A3"))
    G = sum(a["axes"][x]["gsi"] + b["axes"][x]["gsi"] for x in ("A1", "A2", "A3"))
    assert row.position == pytest.approx((U - G) / (U + G + 1)) and row.n_docs == 2
    assert row.interval_from == "documents" and row.lo <= row.position <= row.hi
    # one document per country-year: the document's own position and interval
    one = country_year_positions(out)
    r = one[(one.iso3 == "CHN") & (one.year == 2023) & (one.axis == "overall")].iloc[0]
    assert r.position == pytest.approx(a["position"]) and [r.lo, r.hi] == pytest.approx(a["interval"])
    assert pos.attrs["provenance"]["input_sha256"]


def test_resume_rescores_only_missing_parts_and_a_new_input_starts_over(text_folder, tmp_path):
    out = tmp_path / "out"
    first = score_corpus(text_folder, out, docs_per_partition=16, progress=False)
    part_paths(out, 1)[0].unlink()
    again = score_corpus(text_folder, out, docs_per_partition=16, progress=False)
    assert again.skipped == first.partitions - 1 and again.documents == 16
    (text_folder / "PHL_2025_new.txt").write_text("We uphold the rules-based international order.")
    try:
        fresh = score_corpus(text_folder, out, docs_per_partition=16, progress=False)
    finally:
        (text_folder / "PHL_2025_new.txt").unlink()
    assert fresh.skipped == 0 and fresh.documents == first.documents + 1


def test_dask_engine_gives_the_local_results(speeches, tmp_path):
    pytest.importorskip("distributed")
    src = tmp_path / "docs"
    src.mkdir()
    speeches.head(48).to_parquet(src / "part.parquet", row_group_size=12)
    local = score_corpus(src, tmp_path / "local", progress=False)
    dask = score_corpus(src, tmp_path / "dask", engine="dask", workers=2, progress=False)
    assert local.partitions == dask.partitions == 4 and dask.workers == 2
    assert len(dask.peak_rss_mb) == 2 and max(dask.peak_rss_mb.values()) < 2048
    a = documents(tmp_path / "local").sort_values("doc_id").reset_index(drop=True)
    b = documents(tmp_path / "dask").sort_values("doc_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(a.drop(columns="source"), b.drop(columns="source"))


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "orderwatch", *args], capture_output=True, text=True)


def test_cli_bad_inputs_are_one_line_errors(tmp_path):
    (tmp_path / "t.parquet").write_bytes(b"not parquet")
    pd.DataFrame({"body": ["x"]}).to_parquet(tmp_path / "nobody.parquet")
    for args, msg in ((["corpus", "score", str(tmp_path / "missing")], "not found"),
                      (["corpus", "score", str(tmp_path / "t.parquet")], "not a readable Parquet file"),
                      (["corpus", "score", str(tmp_path / "nobody.parquet")], "no 'text' column"),
                      (["corpus", "positions", str(tmp_path)], "no corpus.json")):
        r = run(*args, "--out", str(tmp_path / "o")) if args[1] == "score" else run(*args)
        assert r.returncode == 1 and len(r.stderr.strip().splitlines()) == 1 and msg in r.stderr, r.stderr
    r = run("corpus", "score", str(tmp_path), "--engine", "spark")
    assert r.returncode == 2
