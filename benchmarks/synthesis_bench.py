"""Benchmark the synthesis: derive() on full-size synthetic streams, the weight grid, claims.

Run: python benchmarks/synthesis_bench.py [STORE.duckdb]
Prints wall-clock seconds (best of 3). With a store path, also times the seed ledger
evaluated against it. Figures are recorded in docs/synthesis.md.
"""

from __future__ import annotations

import sys
import time

import numpy as np
import pandas as pd

from orderwatch.synthesis import derive, rank_sensitivity, stream_wide


def synthetic_streams(n_states: int = 60, years=range(1990, 2026), seed: int = 0) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    states = [f"S{i:02d}" for i in range(n_states)]
    out = {}
    for name in ("votes_positions", "text_positions", "institutions_positions"):
        idx = pd.MultiIndex.from_product([states, list(years), ["A1", "A2", "A3", "overall"]],
                                         names=["iso3", "year", "axis"]).to_frame(index=False)
        p = np.clip(rng.normal(0, 0.5, len(idx)), -1, 1)
        p[rng.random(len(idx)) < 0.2] = np.nan          # a fifth missing, as in real streams
        idx["position"], idx["lo"], idx["hi"] = p, p - 0.15, p + 0.15
        idx["n"], idx["method"] = 20, "bench"
        out[name] = idx
    out["countries"] = pd.DataFrame({"iso3": states, "is_asian": True, "group": "southeast"})
    return out


def best_of(fn, k: int = 3) -> float:
    times = []
    for _ in range(k):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    tables = synthetic_streams()
    rows = sum(len(v) for k, v in tables.items() if k != "countries")
    print(f"derive() on 3 x {rows // 3:,} stream rows (60 states x 36 years x 4 axes): "
          f"{best_of(lambda: derive(tables.__getitem__)):.2f} s")
    wide = stream_wide({"words": tables["text_positions"], "votes": tables["votes_positions"],
                        "institutions": tables["institutions_positions"]})
    one = wide[(wide.year == 2024) & (wide.axis == "overall")].reset_index(drop=True)
    print(f"rank_sensitivity, 60 states, 0.05-step grid (231 weight vectors): "
          f"{best_of(lambda: rank_sensitivity(one, step=0.05)):.3f} s")
    if len(sys.argv) > 1:
        import orderwatch as ow
        from orderwatch.claims import evaluate_ledger, seed_ledger

        st = ow.open(sys.argv[1])
        print(f"seed ledger ({len(seed_ledger()['claims'])} claims) on {sys.argv[1]}: "
              f"{best_of(lambda: evaluate_ledger(seed_ledger(), st.table)):.2f} s")


if __name__ == "__main__":
    main()
