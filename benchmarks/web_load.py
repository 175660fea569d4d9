"""Load on loopback: p50/p95 latency and requests/s at 20 concurrent clients.

Starts the dashboard with uvicorn in a separate process (so that client and server do
not share a GIL), warms each URL once (pages are cached per URL after the first hit),
then sends a bounded number of requests (and at most 60 s) per endpoint from 20
concurrent keep-alive connections driven by a minimal asyncio HTTP/1.1 client.

Usage:  python benchmarks/web_load.py --db store.duckdb [--requests 1000] [--concurrency 20] [--gzip]
        (--gzip sends Accept-Encoding: gzip as browsers do; the cache keeps compressed bodies)
Goal:   p95 < 50 ms for cached pages.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time

import httpx

SCORE_TEXT = ("We oppose bloc confrontation and the Cold War mentality and uphold common, comprehensive, "
              "cooperative and sustainable security. Freedom of navigation and the 2016 arbitral award "
              "must be respected; our alliances and the Quad strengthen deterrence. ") * 8


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


GZIP = [False]


async def _request(reader, writer, method: str, url: str, body: bytes | None) -> int:
    """One HTTP/1.1 keep-alive request on an open connection; returns the status code.

    A minimal client on purpose: on a 2-core machine httpx's own CPU cost per request
    competes with the server and would dominate the measured tail.
    """
    head = f"{method} {url} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n"
    if GZIP[0]:
        head += "Accept-Encoding: gzip\r\n"
    if body is not None:
        head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    writer.write(head.encode() + b"\r\n" + (body or b""))
    await writer.drain()
    status_line = await reader.readline()
    length, chunked = 0, False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        k, _, v = line.decode("latin-1").partition(":")
        if k.lower() == "content-length":
            length = int(v)
        elif k.lower() == "transfer-encoding" and "chunked" in v.lower():
            chunked = True
    if chunked:
        while True:
            size = int((await reader.readline()).strip(), 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        await reader.readexactly(length)
    return int(status_line.split()[1])


async def hammer(port: int, method: str, url: str, n: int, conc: int, body=None, deadline_s: float = 60):
    lat: list[float] = []
    codes: dict[int, int] = {}
    remaining = [n]
    stop = time.perf_counter() + deadline_s
    raw = json.dumps(body).encode() if body is not None else None

    async def worker():
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while remaining[0] > 0 and time.perf_counter() < stop:
            remaining[0] -= 1
            t = time.perf_counter()
            code = await _request(reader, writer, method, url, raw)
            lat.append(time.perf_counter() - t)
            codes[code] = codes.get(code, 0) + 1
        writer.close()

    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    await _request(reader, writer, method, url, raw)  # warm the cache
    writer.close()
    t0 = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(conc)))
    wall = time.perf_counter() - t0
    lat.sort()
    q = statistics.quantiles(lat, n=100) if len(lat) > 1 else [lat[0]] * 99
    return {"n": len(lat), "p50_ms": 1000 * q[49], "p95_ms": 1000 * q[94], "rps": len(lat) / wall, "codes": codes}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default=os.environ.get("ORDERWATCH_DB"), help="store path (default $ORDERWATCH_DB)")
    ap.add_argument("--requests", type=int, default=1000)
    ap.add_argument("--concurrency", type=int, default=20)
    ap.add_argument("--country", default="PHL")
    ap.add_argument("--gzip", action="store_true", help="send Accept-Encoding: gzip")
    args = ap.parse_args()
    GZIP[0] = args.gzip
    if not args.db:
        sys.exit("give --db or set $ORDERWATCH_DB (build one with `orderwatch build`)")
    port = free_port()
    env = dict(os.environ, ORDERWATCH_DB=args.db)
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "orderwatch.web.app:app_from_env",
                               "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(base + "/api/meta", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        targets = [("map data", "GET", "/api/map?axis=overall&stream=combined", None),
                   ("rankings", "GET", "/api/rankings?axis=overall&stream=combined", None),
                   ("map page", "GET", "/", None),
                   ("country page", "GET", f"/country/{args.country}", None),
                   ("movers page", "GET", "/movers?group=southeast", None),
                   ("claims page", "GET", "/claims", None),
                   ("map topology", "GET", "/api/topology", None),
                   ("scorer (uncached)", "POST", "/api/score", {"text": SCORE_TEXT})]
        print(f"{'endpoint':<20}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'req/s':>9}  status")
        for name, method, url, body in targets:
            r = asyncio.run(hammer(port, method, url, args.requests, args.concurrency, body))
            print(f"{name:<20}{r['n']:>6}{r['p50_ms']:>9.1f}{r['p95_ms']:>9.1f}{r['rps']:>9.0f}  {r['codes']}")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
