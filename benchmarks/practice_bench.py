"""Benchmark the practice stream: derive time on the bundled data, and the issue's goals.

    PYTHONPATH=src .venv/bin/python benchmarks/practice_bench.py

Prints the seconds `orderwatch.practice.derive` takes (base tables read from the bundled
files, as the build would pass them), the share of Asian state-years 1990-2024 with an
arms position, and the AUC separating US treaty allies from China's closest partners
over 2015-24 (all state-years with a figure; PRK and RUS have none).
"""

from __future__ import annotations

import resource
import time

import numpy as np

import orderwatch.practice as practice
from orderwatch import countries
from orderwatch.sources import practice as sources

ALLIES = ["JPN", "KOR", "PHL", "THA", "AUS", "TUR"]
PARTNERS = ["PAK", "KHM", "LAO", "PRK", "RUS", "IRN"]


def auc(pos) -> float:
    p = pos[pos.year.between(2015, 2024)]
    a = p[p.iso3.isin(ALLIES)].position.dropna().to_numpy()
    b = p[p.iso3.isin(PARTNERS) | ((p.iso3 == "MMR") & (p.year >= 2021))].position.dropna().to_numpy()
    return float((np.greater.outer(a, b).sum() + 0.5 * np.equal.outer(a, b).sum()) / (len(a) * len(b)))


def main() -> None:
    base = {"countries": countries.registry(), "arms_deals": sources.arms_deals(), "us_troops": sources.us_troops(),
            "exercise_participations": sources.exercise_participations()}
    t0 = time.perf_counter()
    out = practice.derive(base.__getitem__)
    secs = time.perf_counter() - t0
    arms = out["practice_arms"]
    m = arms[arms.iso3.isin(countries.asian()) & arms.year.between(1990, 2024)]
    pos = out["practice_positions"]
    print(f"practice derive: {secs:.1f} s; peak RSS of this process "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print(f"arms coverage, Asian state-years 1990-2024: {m.position.notna().mean():.1%} of {len(m)}")
    print(f"AUC allies vs China's partners 2015-24: overall {auc(pos[pos.axis == 'overall']):.3f}, "
          f"arms {auc(arms):.3f}")


if __name__ == "__main__":
    main()
