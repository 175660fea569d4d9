"""The measurement model recovers a known latent path, learns which stream is noise,
keeps the poles fixed and publishes nothing where there is no evidence."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from orderwatch.synthesis import combined_positions, stream_wide
from orderwatch.synthesis.latent import latent_combine


def _panel(seed=3, states=30, years=range(2000, 2016)):
    """theta: random walks in (-0.8, 0.8); words = theta + small noise, votes = theta +
    more noise, institutions = pure noise; CHN and USA at the poles in every stream."""
    rng = np.random.default_rng(seed)
    years = list(years)
    theta = {}
    for i in range(states):
        path = np.clip(rng.uniform(-0.6, 0.6) + np.cumsum(rng.normal(0, 0.05, len(years))), -0.8, 0.8)
        theta.update({(f"S{i:02d}", y): v for y, v in zip(years, path)})
    noise = {"words": 0.05, "votes": 0.3}
    tables = {}
    for stream in ("words", "votes", "institutions"):
        rows = []
        for (iso, y), t in theta.items():
            p = rng.uniform(-0.8, 0.8) if stream == "institutions" else t + rng.normal(0, noise[stream])
            rows.append((iso, y, "overall", float(np.clip(p, -1, 1)), 30))
        for iso, p in (("CHN", -1.0), ("USA", 1.0)):
            rows += [(iso, y, "overall", p, 30) for y in years]
        t = pd.DataFrame(rows, columns=["iso3", "year", "axis", "position", "n"])
        t["lo"], t["hi"], t["method"] = t.position - 0.05, t.position + 0.05, "m"
        tables[stream] = t
    return theta, tables


def test_latent_learns_reliability_and_beats_the_equal_weights_index():
    """Errors independent across years: the model without the bias term is the right one
    (the default bias term is tested on persistent errors below)."""
    theta, tables = _panel()
    wide = stream_wide(tables)
    out, rel = latent_combine(wide, ("words", "votes", "institutions"), bias=False)
    r = rel.set_index("stream").reliability
    # With one other informative stream, a reliability is the two streams' correlation
    # (only their product is identified), so words and votes may tie; noise is far below.
    assert r["words"] >= r["votes"] > r["institutions"]
    assert r["institutions"] <= 0.1                         # pure noise counts for little
    truth = np.array([theta.get((i, y), np.nan) for i, y in zip(out.iso3, out.year)])
    ok = ~np.isnan(truth)
    err_latent = np.sqrt(np.mean((out.position.to_numpy()[ok] - truth[ok]) ** 2))
    idx = combined_positions(tables, None, years=(2000, 2015), model="index", rules=False, full=False)
    idx_truth = np.array([theta.get((i, y), np.nan) for i, y in zip(idx.iso3, idx.year)])
    ok2 = ~np.isnan(idx_truth)
    err_index = np.sqrt(np.mean((idx.position.to_numpy()[ok2] - idx_truth[ok2]) ** 2))
    assert err_latent < 0.5 * err_index
    # The weights say where the information came from: mostly words.
    assert out.loc[ok, "w_words"].mean() > 0.5 and out.loc[ok, "w_institutions"].mean() < 0.1
    # Poles are fixed, with no interval width.
    chn = out[out.iso3 == "CHN"]
    assert np.allclose(chn.position, -1.0) and np.allclose(chn.se, 0.0)
    # Intervals cover the truth most of the time.
    cover = (out.lo.to_numpy()[ok] <= truth[ok]) & (truth[ok] <= out.hi.to_numpy()[ok])
    assert cover.mean() > 0.8


def test_no_figure_without_evidence_in_that_year():
    _, tables = _panel(states=12)
    for s in tables:
        t = tables[s]
        tables[s] = t[~((t.iso3 == "S00") & (t.year == 2005))]
    pos = combined_positions(tables, None, years=(2000, 2015), model="latent")
    cell = pos[(pos.iso3 == "S00") & (pos.axis == "overall")].set_index("year")
    assert np.isnan(cell.at[2005, "position"]) and cell.at[2005, "n_streams"] == 0
    assert cell.drop(index=2005).position.notna().all()
    assert (pos.model == "latent").all()


def test_unknown_model_is_a_clear_error():
    _, tables = _panel(states=5)
    from orderwatch.synthesis import WeightsError

    with pytest.raises(WeightsError, match="model must be one of"):
        combined_positions(tables, None, years=(2000, 2015), model="magic")


def _random_walks(rng, states, years, walk_sd):
    """theta: one random walk per state (sd ``walk_sd`` a year), kept inside [-0.8, 0.8]."""
    theta = {}
    for i in range(states):
        path = np.clip(rng.uniform(-0.5, 0.5) + np.cumsum(rng.normal(0, walk_sd, len(years))), -0.8, 0.8)
        theta.update({(f"S{i:02d}", y): v for y, v in zip(years, path)})
    return theta


def _stream_table(rows, years):
    """A stream's positions table from (iso3, year, axis, position, n) rows, poles added."""
    rows = rows + [(iso, y, "overall", p, 30) for iso, p in (("CHN", -1.0), ("USA", 1.0)) for y in years]
    t = pd.DataFrame(rows, columns=["iso3", "year", "axis", "position", "n"])
    t["lo"], t["hi"], t["method"] = t.position - 0.05, t.position + 0.05, "m"
    return t


def _against_truth(out, theta):
    """The true positions of ``out``'s rows, which rows have one, and the share of those
    whose interval covers it."""
    truth = np.array([theta.get((i, y), np.nan) for i, y in zip(out.iso3, out.year)])
    ok = ~np.isnan(truth)
    cover = ((out.lo.to_numpy()[ok] <= truth[ok]) & (truth[ok] <= out.hi.to_numpy()[ok])).mean()
    return truth, ok, cover


def _biased_panel(seed, states=40, years=range(2000, 2020), bias_sd=0.25, noise_sd=0.05, walk_sd=0.06):
    """theta: random walks (sd 0.06 a year); three streams read theta plus a persistent
    per-(state, stream) bias (sd 0.25) plus small transient noise; poles fixed."""
    rng = np.random.default_rng(seed)
    years = list(years)
    theta = _random_walks(rng, states, years, walk_sd)
    tables = {}
    for stream in ("words", "votes", "institutions"):
        bias = {f"S{i:02d}": rng.normal(0, bias_sd) for i in range(states)}
        rows = [(iso, y, "overall", float(np.clip(t + bias[iso] + rng.normal(0, noise_sd), -1, 1)), 30)
                for (iso, y), t in theta.items()]
        tables[stream] = _stream_table(rows, years)
    return theta, tables


@pytest.mark.parametrize("seed", [1, 3])
def test_bias_term_separates_persistent_bias_from_movement(seed):
    """With persistent per-state stream biases, the model without them reads the biases'
    year-to-year wobble as noise, shrinks the walk and under-covers; with the bias term
    the walk sd, the five-year changes and the interval coverage are recovered."""
    theta, tables = _biased_panel(seed)
    wide = stream_wide(tables)
    res = {}
    for bias in (False, True):
        out, rel = latent_combine(wide, ("words", "votes", "institutions"), bias=bias)
        truth, ok, cover = _against_truth(out, theta)
        o = out.assign(truth=truth)[ok].sort_values(["iso3", "year"])
        d = o.groupby("iso3")[["position", "truth"]].diff(5).dropna()
        res[bias] = (cover, d.position.std() / d.truth.std(), float(rel.random_walk_sd.iloc[0]))
    assert res[True][0] > 0.85 > 0.65 > res[False][0]                # coverage of 95 % intervals
    assert 0.8 < res[True][1] < 1.2 and res[False][1] < 0.6           # size of 5-year changes
    assert abs(res[True][2] - 0.06) < 0.015 < abs(res[False][2] - 0.06)
    # Poles stay fixed under the bias model.
    out, _ = latent_combine(wide, ("words", "votes", "institutions"), bias=True)
    assert np.allclose(out[out.iso3 == "USA"].position, 1.0) and np.allclose(out[out.iso3 == "USA"].se, 0.0)


def test_error_autocorrelation_tells_persistent_from_independent_errors():
    """The diagnostic behind the default: residuals of independent errors hardly correlate
    from one year to the next; persistent per-state biases make them correlate strongly.
    (A very precise stream inherits the smoother's own error, and a stream that does not
    load at all carries the whole path, so they correlate somewhat even when independent.)"""
    _, iid = _panel()
    _, rel = latent_combine(stream_wide(iid), ("words", "votes", "institutions"), bias=False)
    r = rel.set_index("stream").error_autocorr
    assert abs(r["votes"]) < 0.15 and r.max() < 0.5
    _, biased = _biased_panel(1)
    _, rel = latent_combine(stream_wide(biased), ("words", "votes", "institutions"), bias=False)
    assert rel.error_autocorr.min() > 0.6
    # the bias term takes the persistent part off: what remains is close to independent
    _, rel = latent_combine(stream_wide(biased), ("words", "votes", "institutions"))
    assert rel.error_autocorr.min() > 0.6 and rel.transient_autocorr.abs().max() < 0.35


def test_a_moving_window_stream_counts_once_per_window():
    """practice's yearly figures are five-year windows: its transient error variance is
    scaled by 5, so the same figures carry less information under its name."""
    from orderwatch.synthesis.latent import WINDOW_YEARS
    from orderwatch.practice.arms import WINDOW

    assert WINDOW_YEARS["practice"] == WINDOW
    _, tables = _biased_panel(3)
    as_votes = {"words": tables["words"], "votes": tables["votes"]}
    as_practice = {"words": tables["words"], "practice": tables["votes"]}
    a, rel_a = latent_combine(stream_wide(as_votes), ("words", "votes"))
    b, rel_b = latent_combine(stream_wide(as_practice), ("words", "practice"))
    assert rel_b.set_index("stream").window_years.to_dict() == {"words": 1.0, "practice": 5.0}
    free = ~a.iso3.isin(["CHN", "USA"])
    assert b.loc[free, "w_practice"].mean() < a.loc[free, "w_votes"].mean()


def test_error_variance_is_consistent_with_reliability():
    from orderwatch.synthesis.latent_moments import consistent_noise

    # A compressed stream (small variance) that hardly co-varies with the others must not
    # read as precise: its error follows from its reliability and the common variance.
    reliab, total, own = np.array([0.8, 0.5, 0.05]), np.array([0.3, 0.3, 0.01]), np.zeros(3)
    noise = consistent_noise(reliab, total, own)
    theta_var = np.median(reliab * total)  # 0.15
    assert noise[2] == pytest.approx(theta_var * 0.95 / 0.05)
    assert noise[0] == pytest.approx((1 - 0.8) * 0.3) and noise[1] == pytest.approx(0.15)
    assert noise[2] > 10 * noise[1]                       # it counts for little
    assert (consistent_noise(reliab, total, np.full(3, 10.0)) == 1e-3).all()  # floored


def test_votes_year_effect_is_not_read_as_common_movement():
    """Every state's votes move away from the US in 2004-09 (the US voting alone), in no
    other stream: with the year effect the mean position follows the true mean, without
    it the model reads part of the shift as all states moving toward China."""
    theta, tables = _panel(seed=5, states=40)
    v = tables["votes"]
    shift = np.where(v.year.between(2004, 2009) & ~v.iso3.isin(["CHN", "USA"]), -0.35, 0.0)
    v["position"] = np.clip(v.position + shift, -1, 1)
    v["lo"], v["hi"] = v.position - 0.05, v.position + 0.05
    wide = stream_wide(tables)
    truth = pd.Series(theta).rename_axis(["iso3", "year"]).groupby("year").mean()

    def drift_error(year_effects):
        out, rel = latent_combine(wide, ("words", "votes", "institutions"), year_effects=year_effects)
        free = out[~out.iso3.isin(["CHN", "USA"])]
        est = free.groupby("year").position.mean()
        return float(np.sqrt(np.mean(((est - est.mean()) - (truth - truth.mean())) ** 2))), rel

    with_effect, rel = drift_error(("votes",))
    without, _ = drift_error(())
    assert with_effect < 0.5 * without
    assert rel.set_index("stream").year_shift_sd["votes"] > 0.1
    assert rel.set_index("stream").year_shift_sd["words"] == 0


def test_a_stock_stream_step_is_not_read_as_movement():
    """A stream that changes only in rare steps (a treaty stock) has a small within-state
    variance: read as (1 - r) * within, each step looked precise and moved the position by
    most of its size (India's A2 in 2017). Its changes' error now follows from their
    reliability, so a step the other streams do not share moves the position little."""
    theta, tables = _biased_panel(2, states=40, noise_sd=0.15)
    inst = tables["institutions"]
    base = inst[inst.year == 2000].set_index("iso3").position
    stepped = [f"S{i:02d}" for i in range(0, 40, 4)]
    free = ~inst.iso3.isin(["CHN", "USA"])
    inst["position"] = np.where(free, inst.iso3.map(base), inst.position)
    inst["position"] = inst.position - np.where(inst.iso3.isin(stepped) & (inst.year >= 2010), 0.3, 0.0)
    inst["lo"], inst["hi"] = inst.position - 0.05, inst.position + 0.05
    out, rel = latent_combine(stream_wide(tables), ("words", "votes", "institutions"))
    pos = out.set_index(["iso3", "year"]).position
    moved = np.mean([(pos[(s, 2012)] - pos[(s, 2007)]) - (theta[(s, 2012)] - theta[(s, 2007)]) for s in stepped])
    assert abs(moved) < 0.05                                  # the old split: -0.13
    r = rel.set_index("stream")
    assert r.transient_sd["institutions"] > r.transient_sd["words"]


def test_reliability_moves_smoothly_when_a_weak_pair_crosses_the_cut_off():
    """One factor, four indicators, indicators 0 and 3 sharing some error (as streams do);
    the pair (2, 3) correlates about 0.2. A little noise added to indicator 3 moves that
    correlation across 0.2: the reliability of indicator 0 must move a little, not jump (a
    mean of triads above a cut-off moved by 0.05 here, and on the bundled data the votes'
    reliability by 0.15), and stay near its squared loading."""
    from orderwatch.synthesis.latent_moments import pair_corr, reliability_estimate

    rng = np.random.default_rng(12)
    n, lam = 4000, np.array([0.7, 0.7, 0.5, 0.45])
    f, shared = rng.normal(size=n), rng.normal(size=n)
    X = lam[:, None] * f + np.sqrt(1 - lam[:, None] ** 2) * rng.normal(size=(4, n))
    X[0] += 0.6 * shared
    X[3] += 0.6 * shared
    extra = rng.normal(size=n)
    est, r23 = [], []
    for a in (0.0, 0.3):
        Y = X.copy()
        Y[3] = X[3] + a * extra
        est.append(reliability_estimate(Y, 0))
        r23.append(pair_corr(Y[2], Y[3]))
    assert r23[0] > 0.2 > r23[1]
    assert abs(est[0] - est[1]) < 0.02
    assert abs(est[0] - lam[0] ** 2) < 0.1


def _ar_panel(seed, states=40, years=range(1995, 2025), phi=0.8, ar_sd=0.2, bias_sd=0.2, noise_sd=0.05,
              walk_sd=0.04):
    """theta: random walks; three streams read theta plus a persistent bias plus an AR(1)
    error (phi 0.8, sd 0.2) that drifts for years, plus small white noise."""
    rng = np.random.default_rng(seed)
    years = list(years)
    theta = _random_walks(rng, states, years, walk_sd)
    tables = {}
    for stream in ("words", "votes", "institutions"):
        rows = []
        for i in range(states):
            iso, b, a = f"S{i:02d}", rng.normal(0, bias_sd), rng.normal(0, ar_sd)
            for y in years:
                a = phi * a + rng.normal(0, ar_sd * np.sqrt(1 - phi ** 2))
                rows.append((iso, y, "overall", float(np.clip(theta[(iso, y)] + b + a + rng.normal(0, noise_sd), -1, 1)), 30))
        tables[stream] = _stream_table(rows, years)
    return theta, tables


@pytest.mark.parametrize("seed", [1, 2])
def test_ar_errors_option_covers_drifting_stream_errors(seed):
    """Streams whose errors drift for years (AR(1)): with ar_errors the 95 % intervals
    cover the truth more often and the positions are no worse; on a panel with independent
    errors the option finds no AR part and changes nothing."""
    theta, tables = _ar_panel(seed)
    wide = stream_wide(tables)
    res = {}
    for ar in (False, True):
        out, _ = latent_combine(wide, ("words", "votes", "institutions"), ar_errors=ar)
        truth, ok, cover = _against_truth(out, theta)
        rmse = np.sqrt(np.mean((out.position.to_numpy()[ok] - truth[ok]) ** 2))
        res[ar] = (cover, rmse)
    assert res[True][0] > res[False][0] + 0.03
    assert res[True][1] <= res[False][1] + 0.005
    _, iid = _panel()
    a, _ = latent_combine(stream_wide(iid), ("words", "votes", "institutions"))
    b, _ = latent_combine(stream_wide(iid), ("words", "votes", "institutions"), ar_errors=True)
    assert np.allclose(a.position, b.position, equal_nan=True)
