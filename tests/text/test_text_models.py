"""Wordscores and Wordfish against published results (quanteda.textmodels examples)."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from orderwatch.text.dfm import Dfm, dfm
from orderwatch.text.wordfish import Wordfish
from orderwatch.text.wordscores import Wordscores

FIX = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture(scope="module")
def lbg():
    d = Dfm.from_counts(pd.read_csv(FIX / "lbg_example.csv"))
    ws = Wordscores().fit(d.matrix, [-1.5, -0.75, 0, 0.75, 1.5, np.nan])
    return d, ws


def test_wordscores_lbg_raw_published(lbg):
    d, ws = lbg
    p = ws.predict(d.matrix)
    v1 = p.iloc[5]
    assert v1.fit == pytest.approx(-0.448, abs=5e-4)
    assert v1.se == pytest.approx(0.0119, abs=5e-5)
    assert (v1.lwr, v1.upr) == pytest.approx((-0.471, -0.425), abs=5e-4)
    assert p.fit.iloc[0] == pytest.approx(-1.3179, abs=5e-5)
    assert p.fit.iloc[1] == pytest.approx(-0.7396, abs=5e-5)


def test_wordscores_rescaled_published(lbg):
    d, ws = lbg
    assert ws.predict(d.matrix, rescaling="lbg").fit.iloc[5] == pytest.approx(-0.53, abs=5e-3)
    assert ws.predict(d.matrix, rescaling="mv").fit.iloc[5] == pytest.approx(-0.51, abs=5e-3)
    # MV maps the extreme references onto their scores exactly.
    mv = ws.predict(d.matrix, rescaling="mv").fit
    assert mv.iloc[0] == pytest.approx(-1.5) and mv.iloc[4] == pytest.approx(1.5)


def test_wordscores_order_invariant(lbg):
    d, ws = lbg
    perm = [5, 2, 0, 4, 1, 3]
    y = np.array([-1.5, -0.75, 0, 0.75, 1.5, np.nan])[perm]
    ws2 = Wordscores().fit(d.matrix[perm], y)
    assert ws2.predict(d.matrix[perm]).fit.to_numpy() == pytest.approx(ws.predict(d.matrix).fit.to_numpy()[perm])


def test_wordscores_needs_two_references():
    with pytest.raises(ValueError):
        Wordscores().fit(sp.csr_matrix(np.eye(3)), [1, np.nan, np.nan])


@pytest.fixture(scope="module")
def irish():
    return pd.read_csv(FIX / "irishbudget2010.csv")


def test_dfm_matches_quanteda_feature_count(irish):
    # quanteda: dfm(tokens(data_corpus_irishbudget2010)) has 14 documents and 5,140 features.
    assert dfm(irish.text).shape == (14, 5140)


def test_wordfish_irish_default_dfm_published(irish):
    wf = Wordfish(dir=(6, 5)).fit(dfm(irish.text).matrix)
    assert wf.theta_[0] == pytest.approx(1.82, abs=0.01)       # Lenihan (FF)
    assert wf.se_theta_[0] == pytest.approx(0.019, abs=0.002)
    assert wf.theta_[4] > 0 > wf.theta_[5]                      # dir: Kenny < Cowen


def test_wordfish_irish_no_punct_published(irish):
    wf = Wordfish(dir=(6, 5)).fit(dfm(irish.text, remove_punct=True).matrix)
    published = {0: 1.7985, 4: 1.7764, 2: -1.1590, 5: -0.7560, 10: 1.1772, 3: -0.0796}
    for i, v in published.items():
        assert wf.theta_[i] == pytest.approx(v, abs=0.015), irish.name[i]
    assert np.mean(wf.theta_) == pytest.approx(0, abs=1e-9)
    assert np.std(wf.theta_, ddof=1) == pytest.approx(1)


def test_wordfish_recovers_simulated_positions():
    rng = np.random.default_rng(3)
    theta = np.linspace(-1.6, 1.6, 30)
    beta = rng.normal(0, 0.8, 400)
    psi = rng.normal(0.5, 0.7, 400)
    Y = rng.poisson(np.exp(psi + np.outer(theta, beta)))
    keep = Y.sum(0) > 0
    wf = Wordfish(dir=(1, 30), block_size=7).fit(sp.csr_matrix(Y[:, keep]))
    assert np.corrcoef(wf.theta_, theta)[0, 1] > 0.97
    assert wf.theta_[0] < wf.theta_[-1]


def test_wordfish_block_size_does_not_change_estimates(irish):
    X = dfm(irish.text, remove_punct=True).matrix
    a = Wordfish(dir=(6, 5)).fit(X).theta_
    b = Wordfish(dir=(6, 5), block_size=3).fit(X).theta_
    assert a == pytest.approx(b, abs=1e-10)


def test_wordfish_rejects_empty_rows():
    with pytest.raises(ValueError):
        Wordfish().fit(sp.csr_matrix(np.array([[1, 2], [0, 0], [3, 1]])))


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000))
def test_wordscores_raw_scores_stay_within_reference_range(seed):
    rng = np.random.default_rng(seed)
    X = sp.csr_matrix(rng.poisson(1.0, size=(6, 25)) * (rng.random((6, 25)) < 0.6))
    X = X[:, np.flatnonzero(np.asarray(X[:3].sum(0)).ravel() > 0)]
    if X.shape[1] == 0 or (np.asarray(X[:3].sum(1)).ravel() == 0).any():
        return
    y = np.array([-1.0, 0.3, 1.0, np.nan, np.nan, np.nan])
    p = Wordscores().fit(X, y).predict(X)
    ok = p.fit.dropna()
    assert ((ok >= -1 - 1e-12) & (ok <= 1 + 1e-12)).all()
    assert (p.se.dropna() >= 0).all()
