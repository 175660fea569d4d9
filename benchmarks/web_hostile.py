"""Hostile requests on loopback: CPU seconds and peak extra memory of the server per request.

Starts the dashboard with uvicorn in a separate process on 127.0.0.1 over a built store,
warms each route with a benign request (imports, tables and the scorer's codebook are
loaded once per process, which is not the hostile request's cost), then sends each hostile
request and reads from /proc what the server process spent on it:

- CPU: user + system seconds of the server process across the request;
- memory: peak resident set (VmHWM, reset through /proc/PID/clear_refs before the request)
  minus the resident set before it.

Series of many distinct query strings are measured as a whole: memory is the growth of the
resident set over the series (what the response cache and memos keep), CPU the mean per request.

Usage:  python benchmarks/web_hostile.py --db store.duckdb [--json]
Goal:   every request under 100 KB costs at most 1 s of CPU and 50 MB of memory.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import httpx

from orderwatch.web.limits import MAX_COMPARE

CPU_LIMIT_S = 1.0
MEM_LIMIT_MB = 50.0
SIZE_LIMIT = 100_000

#: 421 bytes of nested YAML aliases (nine levels of ten): expands to 10^10 leaves if followed.
ALIAS_BOMB = ("claims:\n- id: bomb\n  note: &a [x,x,x,x,x,x,x,x,x,x]\n"
              + "".join(f"  n{i}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(9)))
BENIGN_LEDGER = ("claims:\n- id: phl-up\n  claim: The Philippines moved toward the United States.\n"
                 "  countries: [PHL]\n  period: [2022, 2023]\n  measure: position\n  axis: overall\n"
                 "  stream: combined\n  expect: above\n  threshold: 0.0\n  quantifier: all\n")


def ledger_of(n: int) -> str:
    one = BENIGN_LEDGER.split("\n", 1)[1]
    return "claims:\n" + "".join(one.replace("phl-up", f"c{i}") for i in range(n))


ASIA = ["JPN", "PHL", "CHN", "KOR", "PRK", "VNM", "THA", "IDN", "MYS", "SGP", "IND", "PAK", "BGD", "LKA", "NPL",
        "MMR", "KHM", "LAO", "MNG", "KAZ", "UZB", "KGZ", "TJK", "TKM", "AFG", "IRN"]


def distinct_codes(n: int) -> list[str]:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return [a + b + c for a in letters for b in letters for c in letters][:n]


@dataclass
class Case:
    """One hostile request (or a series), a benign warm-up of the same route, what it should get."""

    name: str
    method: str
    url: str | Callable[[int], str]
    expect: tuple[int, ...]
    warm: str | None = None
    kwargs: dict[str, Any] = field(default_factory=dict)
    repeat: int = 1  # > 1: a series of distinct URLs url(i)
    size: int | None = None  # bytes sent, when the body is streamed (not measured by building it)


class Chunks:
    """A streamed body of ``total`` bytes without Content-Length (sent chunked), re-iterable."""

    def __init__(self, total: int, chunk: int = 64_000):
        self.total, self.chunk = total, chunk

    def __iter__(self):
        for _ in range(0, self.total, self.chunk):
            yield b"x" * self.chunk


def cases(series: float = 1.0) -> list[Case]:
    """The hostile requests; ``series`` scales the length of the request series (the test uses 0.5)."""
    text = "hegemony. " * 9_900  # 99 KB: 9,900 one-word sentences, each a codebook match
    out = [
        Case("compare: 5,000 duplicate codes (20 KB GET)", "GET", "/compare?c=" + ",".join(["JPN"] * 5000),
             (200,), warm="/compare?c=JPN,PHL"),
        Case(f"compare: {MAX_COMPARE} countries (the cap), votes", "GET",
             "/compare?stream=votes&c=" + ",".join(ASIA[:MAX_COMPARE]), (200,),
             warm="/compare?stream=votes&c=JPN,PHL"),
        # an unknown code is refused where it is met (404); real states over the cap get a 422
        Case("compare: 5,000 distinct codes", "GET", "/compare?c=" + ",".join(distinct_codes(5000)), (404,),
             warm="/compare?c=JPN,PHL"),
        Case("compare: 26 Asian states x 200 (5,200 codes)", "GET", "/compare?c=" + ",".join(ASIA * 200), (422,),
             warm="/compare?c=JPN,PHL"),
        # the API's list is capped by its schema (maxItems) before anything is resolved
        Case("api/compare: 2,000 repeated c=", "GET", "/api/compare?" + "&".join(f"c={c}" for c in distinct_codes(2000)),
             (422,), warm="/api/compare?c=JPN&c=PHL"),
        Case("api/compare: 2,080 repeated c= of real states", "GET",
             "/api/compare?" + "&".join(f"c={c}" for c in ASIA * 80), (422,), warm="/api/compare?c=JPN&c=PHL"),
        Case("api/score: 9,900 one-word sentences (99 KB)", "POST", "/api/score", (200,),
             kwargs={"json": {"text": text}}),
        Case("score page: the same text as a form", "POST", "/score", (200,), kwargs={"data": {"text": text}}),
        Case("api/claims/check: 421-byte alias bomb", "POST", "/api/claims/check", (400,),
             kwargs={"files": {"file": ("bomb.yaml", ALIAS_BOMB.encode())}}),
        Case("claims page: YAML nested 30,000 deep", "POST", "/claims", (400,),
             kwargs={"files": {"file": ("deep.yaml", ("claims: " + "[" * 30_000).encode())}}),
        Case("claims page: 300 claims (over the cap)", "POST", "/claims", (400,),
             kwargs={"files": {"file": ("many.yaml", ledger_of(300).encode())}}),
        Case("api/claims/check: 200 claims (the cap)", "POST", "/api/claims/check", (200,),
             kwargs={"files": {"file": ("cap.yaml", ledger_of(200).encode())}}),
        Case("index: 55 KB of junk query parameters", "GET", "/?" + "&".join(f"j{i}=x" for i in range(7_000)),
             (200, 400, 414, 431)),
        Case("movers: widest windows", "GET", "/movers?start=1900-2099&end=2100", (200, 400), warm="/movers"),
        Case("api/score: 20 MB chunked body (no Content-Length)", "POST", "/api/score", (413, "RemoteProtocolError",
                                                                                        "WriteError", "ReadError"),
             kwargs={"content": Chunks(20_000_000), "headers": {"content-type": "application/json"}}, size=20_000_000),
        Case("1,200 distinct /api/map queries", "GET",
             lambda i: (f"/api/map?year={1900 + i % 200}&axis={['overall', 'A1', 'A2'][i // 200 % 3]}"
                        f"&stream={['combined', 'votes'][i // 600]}"), (200, 404), warm="/api/map", repeat=1200),
        Case("40 distinct compare pages", "GET",
             lambda i: "/compare?c=" + ",".join(ASIA[(i + k * (1 + i // 25)) % len(ASIA)] for k in range(4)), (200,),
             warm="/compare?c=JPN,PHL", repeat=40),
        Case("600 distinct junk query strings", "GET", lambda i: f"/?utm={i}&x{i}=1", (200,), warm="/", repeat=600),
        Case("HEAD on 50 country pages", "HEAD", lambda i: f"/country/{['JPN', 'PHL', 'CHN', 'KOR', 'VNM'][i % 5]}?year={1990 + i}",
             (200,), warm="/country/JPN", repeat=50),
    ]
    for case in out:
        case.repeat = max(1, round(case.repeat * series)) if case.repeat > 1 else 1
    return out


def request_size(case: Case, url: str) -> int:
    req = httpx.Request(case.method, "http://127.0.0.1" + url, **case.kwargs)
    return len(url) + len(req.read())


def _status(pid: int, key: str) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
    raise KeyError(key)


def _cpu(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(client: httpx.Client, pid: int, case: Case) -> dict[str, Any]:
    """Send ``case`` (after its warm-up) and return its cost and statuses."""
    if case.warm:
        client.get(case.warm)
    elif case.method == "POST" and "content" not in case.kwargs:
        small = {k: v for k, v in case.kwargs.items()}
        if "json" in small:
            small["json"] = {"text": "We oppose hegemony. We uphold indivisible security."}
        if "data" in small:
            small["data"] = {"text": "We oppose hegemony. We uphold indivisible security."}
        if "files" in small:
            small["files"] = {"file": ("ok.yaml", BENIGN_LEDGER.encode())}
        client.request(case.method, case.url, **small)
    urls = [case.url(i) for i in range(case.repeat)] if callable(case.url) else [case.url]
    with open(f"/proc/{pid}/clear_refs", "w") as f:
        f.write("5")  # reset the peak resident set to the current one
    rss0, cpu0, wall0 = _status(pid, "VmRSS"), _cpu(pid), time.perf_counter()
    statuses = set()
    for url in urls:
        try:
            statuses.add(client.request(case.method, url, **case.kwargs).status_code)
        except httpx.HTTPError as exc:  # the server may close the connection on a refused body
            statuses.add(type(exc).__name__)
    cpu, wall = _cpu(pid) - cpu0, time.perf_counter() - wall0
    peak, rss1 = _status(pid, "VmHWM"), _status(pid, "VmRSS")
    series = len(urls) > 1
    size = case.size or max(request_size(case, u) for u in urls)
    return {"case": case.name, "requests": len(urls), "bytes": size,
            "statuses": sorted(map(str, statuses)), "ok": set(map(str, statuses)) <= set(map(str, case.expect)),
            "cpu_s": cpu / len(urls), "mem_mb": ((rss1 if series else peak) - rss0) / 1e6,
            "peak_mb": (peak - rss0) / 1e6, "wall_s": wall}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = dict(os.environ, ORDERWATCH_DB=str(db))
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "orderwatch.web.app:app_from_env",
                             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"], env=env)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            httpx.get(base + "/api/meta", timeout=2)
            return proc, base
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the server did not start within 30 s")


def run(db: str, selected: list[Case] | None = None) -> list[dict[str, Any]]:
    proc, base = start_server(db)
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            return [measure(client, proc.pid, c) for c in (selected or cases())]
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default=os.environ.get("ORDERWATCH_DB"), help="store path (default $ORDERWATCH_DB)")
    ap.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = ap.parse_args()
    if not args.db:
        ap.error("give --db or set ORDERWATCH_DB")
    rows = run(args.db)
    if args.json:
        print(json.dumps(rows, indent=1))
        return
    print(f"{'request':48} {'bytes':>7} {'n':>4} {'status':>10} {'CPU s':>6} {'mem MB':>7}  ok")
    for r in rows:
        good = r["ok"] and (r["bytes"] > SIZE_LIMIT or (r["cpu_s"] <= CPU_LIMIT_S and r["mem_mb"] <= MEM_LIMIT_MB))
        print(f"{r['case']:48} {r['bytes']:>7,} {r['requests']:>4} {','.join(r['statuses']):>10} "
              f"{r['cpu_s']:>6.3f} {r['mem_mb']:>7.1f}  {'yes' if good else 'NO'}")


if __name__ == "__main__":
    main()
