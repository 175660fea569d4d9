"""Benchmark: institutions derive(read) on the bundled ATOP data and the catalogue.

Run: python benchmarks/institutions_derive.py   (prints wall-clock seconds)
"""

import time

import pandas as pd

from orderwatch import bundled
from orderwatch.institutions import derive, network
from orderwatch.institutions.catalog import load_catalog


def countries():
    try:
        from orderwatch import countries as c

        return c.registry()
    except Exception:
        asia = ("CHN JPN KOR PRK MNG TWN VNM LAO KHM THA MMR MYS SGP IDN PHL BRN TLS IND PAK BGD LKA "
                "NPL BTN MDV AFG KAZ KGZ TJK UZB TKM").split()
        cw = bundled.read("cow_iso3").rename(columns={"ccode": "cow", "iso3c": "iso3"})
        return cw.drop_duplicates("iso3").assign(is_asian=lambda d: d["iso3"].isin(asia))


if __name__ == "__main__":
    tables = {"countries": countries(), "alliances": bundled.read("atop")}
    t0 = time.perf_counter(); load_catalog(); t1 = time.perf_counter()
    out = derive(tables.__getitem__); t2 = time.perf_counter()
    network(2024); t3 = time.perf_counter()
    print(f"load catalogue: {t1 - t0:.3f} s")
    print(f"derive (1990-2025, {len(out['institutions_positions'])} position rows): {t2 - t1:.2f} s")
    print(f"network(2024): {t3 - t2:.3f} s")
    # v2 score (weighing rules + shrinkage) against the v1 baseline (plain depth ratio) on the same ties
    from orderwatch.institutions import focus_states, why
    from orderwatch.institutions.measures import positions

    ties, states = out["institutions_ties"], focus_states(tables["countries"])
    t4 = time.perf_counter(); positions(ties, states); t5 = time.perf_counter()
    t = ties[ties["iso3"].isin(states)]
    (t.assign(w=t["depth"] * t["sign"]).groupby(["iso3", "year"])
      .apply(lambda g: g["w"].sum() / g["depth"].sum(), include_groups=False))
    t6 = time.perf_counter()
    for iso3 in ("PHL", "PAK", "UZB", "SGP", "NZL"):
        why(ties, iso3, 2024)
    t7 = time.perf_counter()
    print(f"positions v2 (4 axes, weighing + shrinkage): {t5 - t4:.2f} s; v1 baseline ratio (overall only): {t6 - t5:.2f} s")
    print(f"why(): {(t7 - t6) / 5 * 1000:.0f} ms per call")
    p = out["institutions_positions"]
    print(p[(p.axis == "overall") & (p.year == 2024)].set_index("iso3")[["position", "lo", "hi", "n"]].round(2))
