"""Benchmark the measurement model against the fixed-weights index (the named baseline).

Run: python benchmarks/synthesis_latent.py
Four synthetic streams (60 states x 36 years x 4 axes, a fifth missing, poles present);
prints wall-clock seconds, best of 3, for the index (`combine`) and the latent model
(`latent_combine`, every axis, without and with the per-state stream bias term, and
the default with the votes' year effect, which fits each axis twice, and the AR(1)-error option). Figures are recorded in docs/synthesis.md.
"""

from __future__ import annotations


import numpy as np
import pandas as pd

from orderwatch.synthesis.combine import combine, stream_wide
from orderwatch.schema import STREAMS
from synthesis_bench import best_of  # sibling benchmark script (benchmarks/ is on sys.path when run)
from orderwatch.synthesis.latent import latent_combine


def tables(n_states: int = 60, years=range(1990, 2026), seed: int = 0) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    states = [f"S{i:02d}" for i in range(n_states - 2)] + ["CHN", "USA"]
    idx = pd.MultiIndex.from_product([states, list(years), ["A1", "A2", "A3", "overall"]],
                                     names=["iso3", "year", "axis"]).to_frame(index=False)
    theta = np.clip(rng.normal(0, 0.5, len(idx)), -1, 1)
    theta[idx.iso3 == "CHN"], theta[idx.iso3 == "USA"] = -1, 1
    out = {}
    for k, s in enumerate(STREAMS):
        t = idx.copy()
        p = np.clip(theta + rng.normal(0, 0.1 * (k + 1), len(t)), -1, 1)
        p[rng.random(len(t)) < 0.2] = np.nan
        t["position"], t["lo"], t["hi"], t["n"], t["method"] = p, p - 0.15, p + 0.15, 20, "bench"
        out[s] = t
    return out


if __name__ == "__main__":
    wide = stream_wide(tables())
    print(f"rows: {len(wide):,}")
    print(f"index (baseline) combine: {best_of(lambda: combine(wide)):.3f} s")
    print(f"latent_combine bias=False: {best_of(lambda: latent_combine(wide, STREAMS, bias=False)):.3f} s")
    print(f"latent_combine bias term, no year effect: "
          f"{best_of(lambda: latent_combine(wide, STREAMS, year_effects=())):.3f} s")
    print(f"latent_combine (default: bias term + votes year effect, 4 axes): "
          f"{best_of(lambda: latent_combine(wide, STREAMS)):.3f} s")
    print(f"latent_combine with AR(1) stream errors (option): "
          f"{best_of(lambda: latent_combine(wide, STREAMS, ar_errors=True)):.3f} s")
