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
    p = out["institutions_positions"]
    print(p[(p.axis == "overall") & (p.year == 2024)].set_index("iso3")[["position", "lo", "hi", "n"]].round(2))
