"""Country-year words positions on the full bundled corpus: signal, coverage, validity, time.

python benchmarks/text_countryyear.py

Runs the words stream's ``derive`` on all bundled speeches and documents (as the build
does) and reports, for the published figure (method 'pooled', overall axis):

* within-state adjacent-year correlation after removing state means, and the share of
  adjacent placed years whose sign flips (goals: r >= 0.5, flips <= 8%), for the smoothed
  positions and for the raw yearly means they smooth;
* coverage (Asian country-years since 1990 placed) and known groups (2000-2024 means of
  US treaty allies and partners vs China-aligned states);
* the seconds ``derive`` takes.
"""

from __future__ import annotations

import time

import numpy as np

from orderwatch import countries
from orderwatch.sources import texts
from orderwatch.text.stream import derive, pooled_sentences
from orderwatch.text.pooled import smooth, stability, yearly_observations

ALLIES = ["JPN", "KOR", "PHL", "AUS", "ISR", "SGP", "THA", "NZL"]
ALIGNED = ["PRK", "LAO", "KHM", "PAK", "IRN", "SYR", "MMR"]


def main() -> None:
    tables = {"speeches": texts.speeches(), "documents": texts.documents()}
    t0 = time.time()
    out = derive(tables.__getitem__)
    secs = time.time() - t0
    pos = out["text_positions"]
    pooled = pos[pos.method == "pooled"]
    sent = pooled_sentences(tables["speeches"], tables["documents"], countries.observed())
    obs = yearly_observations(sent)
    _, qs = smooth(obs)
    print(f"derive: {secs:.1f} s; q per axis (ML on the grid): {qs}")
    for axis in ("overall", "A1", "A2", "A3"):
        raw = obs[obs.axis == axis].rename(columns={"y": "position"})
        st, sr = stability(pooled, axis), stability(raw, axis)
        print(f"{axis:8s} rows {int((pooled.axis == axis).sum()):5d}  smoothed r {st['r']:.2f} flips {st['sign_flips']:.1%}"
              f" ({st['pairs']} pairs)  raw r {sr['r']:.2f} flips {sr['sign_flips']:.1%}")
    ov = pooled[pooled.axis == "overall"]
    asian = set(countries.registry().query("is_asian and not historical").iso3)
    sp = tables["speeches"]
    cy = sp[sp.iso3.isin(asian) & (sp.year >= 1990)][["iso3", "year"]].drop_duplicates()
    placed = cy.merge(ov, on=["iso3", "year"]).shape[0]
    print(f"coverage: {placed} of {len(cy)} Asian country-years with a speech since 1990 placed ({placed / len(cy):.0%})")
    m = ov[ov.year >= 2000].groupby("iso3").position.mean()
    print(f"known groups 2000-2024: allies {m.reindex(ALLIES).mean():+.2f} ({m.reindex(ALLIES).notna().sum()} states), "
          f"China-aligned {m.reindex(ALIGNED).mean():+.2f} ({m.reindex(ALIGNED).notna().sum()} states); "
          f"CHN {m.get('CHN', np.nan):+.2f}, USA {m.get('USA', np.nan):+.2f}")
    print("extremes (2000-2024 means):", m.sort_values().round(2).head(6).to_dict(), m.sort_values().round(2).tail(6).to_dict())


if __name__ == "__main__":
    main()
