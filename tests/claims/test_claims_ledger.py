import textwrap

import pandas as pd
import pytest

from orderwatch.claims import VERDICTS, combine_verdicts, evaluate_ledger, parse_ledger, seed_ledger
from orderwatch.errors import InputError
from synthetic_positions import registry, stream_table


def _ledger(body: str) -> dict:
    return parse_ledger(textwrap.dedent(body), "test.yaml")


def _reader(tables: dict):
    def read(name):
        if name not in tables:
            raise LookupError(name)
        return tables[name]
    return read


@pytest.fixture()
def synthetic():
    """Known positions (votes stream only, interval +-0.1):

    USA +0.9, JPN +0.6, PHL -0.2 (2016-21) -> +0.4 (2023-24), KAZ 0.05, PAK -0.6,
    MNG +0.15 (interval straddles the 'within 0.25' edge only at +0.25).
    """
    vals = {}
    for y in range(2016, 2025):
        vals.update({("USA", y): 0.9, ("JPN", y): 0.6, ("KAZ", y): 0.05, ("PAK", y): -0.6,
                     ("MNG", y): 0.15, ("PHL", y): -0.2 if y <= 2021 else 0.4})
    reg = registry({"USA": "reference", "JPN": "northeast", "PHL": "southeast", "KAZ": "central",
                    "PAK": "south", "MNG": "northeast", "KGZ": "central"})
    return _reader({"votes_positions": stream_table(vals, half_width=0.1), "countries": reg})


def test_known_verdicts_on_synthetic_positions(synthetic):
    ledger = _ledger("""
        claims:
          - {id: jpn-us, claim: Japan is on the US side, countries: [JPN], period: [2022, 2024],
             measure: position, expect: above, threshold: 0}
          - {id: pak-us, claim: Pakistan is on the US side, countries: [PAK], period: [2022, 2024],
             measure: position, expect: above}
          - {id: kaz-bal, claim: Kazakhstan is balanced, countries: [KAZ], period: [2022, 2024],
             measure: position, expect: within, threshold: 0.25}
          - {id: kaz-mid, claim: Kazakhstan is on the US side, countries: [KAZ], period: [2022, 2024],
             measure: position, expect: above, threshold: 0}
          - {id: phl-turn, claim: PHL turned, countries: [PHL], before: [2016, 2021], period: [2023, 2024],
             measure: change, expect: above, threshold: 0.3}
          - {id: central, claim: Central Asia balanced, group: central, period: [2022, 2024],
             measure: position, expect: within, threshold: 0.25, quantifier: all}
          - {id: nobody, claim: no data, countries: [XXX], period: [2022, 2024], measure: position, expect: above}
          - {id: poll, claim: a poll, measure: not_testable, reason: no poll data}
        """)
    res = {r["id"]: r for r in evaluate_ledger(ledger, synthetic)}
    assert res["jpn-us"]["verdict"] == "supported"
    assert res["jpn-us"]["figures"]["by_country"]["JPN"]["position"] == pytest.approx(0.6)
    assert res["pak-us"]["verdict"] == "contradicted"
    assert res["kaz-bal"]["verdict"] == "supported"
    assert res["kaz-mid"]["verdict"] == "mixed"             # 0.05 +- 0.1 straddles 0
    assert res["phl-turn"]["verdict"] == "supported"
    assert res["phl-turn"]["figures"]["by_country"]["PHL"]["change"] == pytest.approx(0.6)
    # KGZ has no data: left out and reported, never counted as 0.
    assert res["central"]["verdict"] == "supported"
    assert res["central"]["figures"]["missing"] == ["KGZ"]
    assert res["nobody"]["verdict"] == "not_testable" and "XXX" in res["nobody"]["reason"]
    assert res["poll"]["verdict"] == "not_testable" and res["poll"]["reason"] == "no poll data"
    for r in res.values():
        assert set(r) >= {"id", "claim", "verdict", "figures", "evidence"}


def test_quantifiers_and_parts(synthetic):
    ledger = _ledger("""
        claims:
          - id: few
            claim: only a few are on the US side
            period: [2022, 2024]
            measure: position
            expect: above
            parts:
              - {countries: [JPN, PHL], quantifier: all}
              - {countries: [KAZ, PAK, MNG, JPN], quantifier: at_most, share: 0.25}
          - {id: most, claim: most lean GSI, countries: [PAK, JPN, USA], period: [2022, 2024],
             measure: position, expect: below, quantifier: most}
          - {id: rank, claim: PHL tops its group, group: southeast, countries: [JPN], targets: [PHL],
             period: [2023, 2024], measure: rank, expect: top, k: 1}
        """)
    res = {r["id"]: r for r in evaluate_ledger(ledger, synthetic)}
    # part 1 supported; part 2: JPN passes robustly, MNG (0.15 +- 0.1) robustly too -> 2/4 > 0.25
    assert [p["verdict"] for p in res["few"]["figures"]["parts"]] == ["supported", "contradicted"]
    assert res["few"]["verdict"] == "mixed"
    assert res["most"]["verdict"] == "contradicted"
    assert res["rank"]["verdict"] == "contradicted"          # JPN 0.6 > PHL 0.4


def test_combine_verdicts():
    assert combine_verdicts(["supported", "not_testable"]) == "supported"
    assert combine_verdicts(["contradicted", "contradicted"]) == "contradicted"
    assert combine_verdicts(["supported", "contradicted"]) == "mixed"
    assert combine_verdicts(["not_testable"]) == "not_testable"


@pytest.mark.parametrize("body, line, field", [
    ("claims:\n  - {id: a, claim: x, measure: guess, expect: above}\n", 2, "measure"),
    ("claims:\n  - {id: a, claim: x, measure: position, expect: above, period: [2020, 2021]}\n", 2, "countries"),
    ("claims:\n  - id: a\n    claim: x\n    measure: position\n    countries: [JPN]\n    period: [2024, 2020]\n    expect: above\n", 6, "period"),
    ("claims:\n  - {id: a, claim: x, measure: not_testable}\n", 2, "reason"),
    ("claims:\n  - {id: a, claim: x, measure: not_testable, reason: r}\n  - {id: a, claim: y, measure: not_testable, reason: r}\n", 3, "id"),
])
def test_malformed_ledgers_name_line_and_field(body, line, field):
    with pytest.raises(InputError) as err:
        parse_ledger(body, "bad.yaml")
    assert err.value.line == line and err.value.field == field
    assert str(err.value).startswith("bad.yaml, line")


def test_not_yaml_is_an_input_error():
    with pytest.raises(InputError, match="not valid YAML"):
        parse_ledger("claims: [unclosed", "bad.yaml")


def test_seed_ledger_is_well_formed():
    ledger = seed_ledger()
    claims = ledger["claims"]
    assert len(claims) >= 15
    testable = [c for c in claims if c.get("measure") != "not_testable"]
    assert len(testable) >= 15
    for c in claims:
        assert c["where"]["quote"] and c["where"]["line"] > 0


def test_seed_ledger_end_to_end_on_bundled_data(store):
    results = evaluate_ledger(seed_ledger(), store.table)
    by_id = {r["id"]: r for r in results}
    assert all(r["verdict"] in VERDICTS for r in results)
    # SIPRI 2024, current US$: CHN 313,658 m / USA 997,309 m = 0.3145, not 0.265 +- 0.03.
    ratio = by_id["china-milex-ratio"]
    assert ratio["figures"]["observed"] == pytest.approx(313658.33 / 997309.0, rel=1e-4)
    assert ratio["verdict"] == "contradicted"
    assert {e["iso3"] for e in ratio["evidence"]} == {"CHN", "USA"}
    assert by_id["disputes-jpn-phl-ind"]["verdict"] == "supported"
    assert by_id["sea-quad-poll"]["verdict"] == "not_testable"
    # Every verdict that is not 'not_testable' rests on figures and evidence.
    for r in results:
        if r["verdict"] != "not_testable":
            assert r["figures"] and r["evidence"], r["id"]
        else:
            assert r["reason"], r["id"]
