"""`votes ideal` gives the fast Laplace standard errors by default, bootstrap on request."""

from __future__ import annotations

import json

import numpy as np
from typer.testing import CliRunner

from orderwatch.cli import app


def ideal(*args: str, db) -> list[dict]:
    r = CliRunner().invoke(app, ["votes", "ideal", "--session", "74", "--json", "--db", str(db), *args])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_laplace_by_default_bootstrap_on_request(base_store_path):
    fast = ideal(db=base_store_path)
    assert {d["se_method"] for d in fast} == {"laplace"} and all(np.isfinite(d["se"]) and d["se"] > 0 for d in fast)
    boot = ideal("--bootstrap", "--n-boot", "8", db=base_store_path)
    assert {d["se_method"] for d in boot} == {"bootstrap"}
    # the same ideal points either way: only the standard errors differ
    a = {d["iso3"]: d["ideal_point"] for d in fast}
    assert all(abs(a[d["iso3"]] - d["ideal_point"]) < 1e-9 for d in boot)
