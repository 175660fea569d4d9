"""Benchmark of the votes stream: all-pairs agreement, every session's ideal points,
derive(), and R's pscl::ideal side by side on the same sessions (speed and correlation).

Usage:
    python benchmarks/votes_bench.py [--db STORE] [--sessions 30,40,...] [--pscl-iter 10000]
                                     [--no-pscl] [--boot 0]

Without --db it builds the base store into a temporary folder first (not timed). pscl
needs Debian's r-base-core and r-cran-pscl (benchmarks/votes_pscl.R); figures measured
on the project machine are recorded in docs/votes.md.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from orderwatch import build as builder
from orderwatch.store import Store
from orderwatch.votes import EMIdealPoints, derive, prepare
from orderwatch.votes.agreement import measure_from_tables, tables_against, tables_all_pairs
from orderwatch.votes.ideal import binary_votes
from orderwatch.votes.sessions import fit_sessions

HERE = Path(__file__).resolve().parent


def timed(fn, *args, repeat=1, **kwargs):
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn(*args, **kwargs)
        best = min(best, time.perf_counter() - t0)
    return best, out


def all_pairs(vm):
    """Share, kappa and S for every pair of states in every session."""
    pairs = 0
    for s in sorted(vm.roll_calls["session"].unique()):
        rows = (vm.roll_calls["session"] == s).to_numpy()
        codes = vm.codes[rows]
        codes = codes[:, (codes >= 0).any(axis=0)]
        t = tables_all_pairs(codes, 3)
        for m in ("share", "kappa", "s"):
            measure_from_tables(t, m)
        pairs += codes.shape[1] * (codes.shape[1] - 1) // 2
    return pairs


def session_matrix(vm, session):
    """The binary matrix (states x contested roll calls) both estimators see."""
    rows = (vm.roll_calls["session"] == session).to_numpy()
    codes = vm.codes[rows]
    keep = (codes >= 0).any(axis=0)
    codes, iso3 = codes[:, keep], vm.iso3[keep]
    y = binary_votes(codes).T
    ok = (~np.isnan(y)).sum(axis=1) >= 5
    y, iso3, codes = y[ok], iso3[ok], codes[:, ok]
    yes, tot = np.nansum(y, axis=0), (~np.isnan(y)).sum(axis=0)
    items = (yes > 0) & (yes < tot)
    return codes[items], y[:, items], iso3


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db")
    ap.add_argument("--sessions", default="30,40,50,60,70,74,76,78")
    ap.add_argument("--pscl-iter", type=int, default=10000)
    ap.add_argument("--pscl-burnin", type=int, default=1000)
    ap.add_argument("--pscl-thin", type=int, default=10)
    ap.add_argument("--no-pscl", action="store_true")
    ap.add_argument("--boot", type=int, default=0, help="also time every session with this many bootstrap resamples")
    args = ap.parse_args()

    tmp = None
    if args.db:
        db = Path(args.db)
    else:
        tmp = Path(tempfile.mkdtemp())
        db = tmp / "base.duckdb"
        builder.build(db, with_streams=False)
    st = Store(db)
    rc, votes = st.roll_calls(), st.votes()
    print(f"machine: {sys.platform}, python {sys.version.split()[0]}")
    t, vm = timed(prepare, rc, votes)
    print(f"prepare: {t:.2f} s for {vm.shape[0]} roll calls x {vm.shape[1]} states")

    t, pairs = timed(all_pairs, vm)
    print(f"agreement, all pairs x all sessions (share, kappa, S): {t:.2f} s for {pairs} dyad-sessions")

    t, ip = timed(fit_sessions, vm, "all", n_boot=0)
    print(f"ideal points, every session (n={ip.session.nunique()}), Laplace SEs: {t:.2f} s")
    t, ips = timed(fit_sessions, vm, "security", n_boot=0)
    print(f"ideal points, security subset of every session: {t:.2f} s")
    if args.boot:
        t, _ = timed(fit_sessions, vm, "all", n_boot=args.boot)
        print(f"ideal points, every session, {args.boot} bootstrap resamples each: {t:.2f} s")

    # Own check on Voeten's data in place of the unbundled Bailey-Strezhnev-Voeten
    # estimates: per session 46-74 (1991-2019), r across states of the ideal point with
    # Cohen's kappa with the US (the scale's defining pole).
    rs = []
    for s in range(46, 75):
        rows = (vm.roll_calls["session"] == s).to_numpy()
        codes = vm.codes[rows]
        usa = codes[:, vm.column("USA")]
        tab = tables_against(usa, codes, np.ones((1, codes.shape[0])), 3)[0]
        kap, n = measure_from_tables(tab, "kappa")
        k = pd.Series(kap, index=vm.iso3)[n >= 20].drop("USA", errors="ignore").dropna()
        x = ip[ip.session == s].set_index("iso3")["ideal_point"]
        common = k.index.intersection(x.index)
        rs.append(np.corrcoef(x[common], k[common])[0, 1])
    print(f"per-session r(ideal point, kappa with USA), sessions 46-74: min {min(rs):.3f}, "
          f"median {np.median(rs):.3f}, sessions >= 0.95: {sum(r >= 0.95 for r in rs)}/{len(rs)}")

    tables = {"roll_calls": rc, "votes": votes}
    t, out = timed(derive, tables.__getitem__)
    print(f"derive (all three tables): {t:.2f} s; rows " + ", ".join(f"{k} {len(v)}" for k, v in out.items()))

    if not args.no_pscl and shutil.which("Rscript"):
        sessions = [int(s) for s in args.sessions.split(",")]
        work = Path(tempfile.mkdtemp())
        ours = {}
        for s in sessions:
            codes, y, iso3 = session_matrix(vm, s)
            df = pd.DataFrame(y, columns=[f"rc{j}" for j in range(y.shape[1])])
            df.insert(0, "iso3", iso3)
            df.to_csv(work / f"session_{s}.csv", index=False, na_rep="")
            secs, model = timed(lambda c=codes, i=iso3: EMIdealPoints().fit(c, orient=i == "USA"), repeat=3)
            ours[s] = (secs, pd.Series(model.ideal_points_, index=iso3), y.shape)
        cmd = ["Rscript", str(HERE / "votes_pscl.R"), str(work), str(args.pscl_iter), str(args.pscl_burnin),
               str(args.pscl_thin)]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        rt = pd.read_csv(work / "pscl_times.csv").set_index("session")["seconds"]
        print(f"pscl::ideal (maxiter {args.pscl_iter}, burnin {args.pscl_burnin}, thin {args.pscl_thin}) vs EM:")
        print(" session  states x rcs   pscl s    EM s   ratio      r")
        rs, ratios = [], []
        for s in sessions:
            p = pd.read_csv(work / f"pscl_{s}.csv").set_index("iso3")["mean"]
            secs, x, shape = ours[s]
            r = abs(np.corrcoef(x[p.index], p)[0, 1])
            rs.append(r)
            ratios.append(rt[s] / secs)
            print(f" {s:7d}  {shape[0]:4d} x {shape[1]:4d}  {rt[s]:7.2f}  {secs:6.3f}  {rt[s] / secs:6.0f}  {r:.4f}")
        print(f"median speed ratio {np.median(ratios):.0f}x, min r {min(rs):.4f}, median r {np.median(rs):.4f}")
        shutil.rmtree(work)
    st.close()
    if tmp:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
