"""`orderwatch update speeches` and `orderwatch update arms`: new rows land with their
provenance once, bad releases are refused with one line and the store untouched."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from orderwatch.store import Store
from orderwatch.update import releases

# Constructed test speeches (not real General Debate statements).
SPEECHES = {"Session 80 - 2025/PHL_80_2025.txt": "Constructed test speech. We uphold international law.",
            "Session 80 - 2025/VNM_80_2025.txt": "Constructed test speech. We oppose bloc confrontation.",
            "Session 79 - 2024/JPN_79_2024.txt": "Already in the bundled release: not added again."}
SIPRI = Path("/work/shared/data/sipri_arms/trade-register.csv")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "orderwatch", *args], capture_output=True, text=True)


def digest(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def make_zip(path: Path, files: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, text in files.items():
            z.writestr("UNGDC_1946-2025/TXT/" + name, text)
    return path


def test_speeches_from_a_release_zip_are_added_once_and_survive_a_rebuild(store_copy, tmp_path):
    rel = make_zip(tmp_path / "ungdc_2025.zip", SPEECHES)
    r = run("update", "speeches", str(rel), "--db", str(store_copy), "--json")
    assert r.returncode == 0, r.stderr
    with Store(store_copy) as st:
        new = st.sql("SELECT iso3, session, year FROM speeches WHERE session = 80 ORDER BY iso3")
        batch = st.table("update_batches")
        assert st.meta()["stale_streams"] == ["synthesis", "text"]
    assert new.values.tolist() == [["PHL", 80, 2025], ["VNM", 80, 2025]]
    assert batch.sha256[0] == digest(rel) and batch.records[0] == 3 and batch.new_records[0] == 2
    before = digest(store_copy)
    assert run("update", "speeches", str(rel), "--db", str(store_copy)).returncode == 0
    assert digest(store_copy) == before  # nothing new: file untouched
    from orderwatch import build

    build.build(store_copy, force=True, with_streams=False)
    with Store(store_copy) as st:
        assert len(st.sql("SELECT * FROM speeches WHERE session = 80")) == 2


def test_speeches_from_a_table_in_the_bundled_form(store_copy, tmp_path):
    t = tmp_path / "rel.parquet"
    pd.DataFrame({"iso3": ["IDN"], "session": [80], "year": [2025], "text": ["Constructed test speech."]}).to_parquet(t)
    r = releases.update_speeches(store_copy, str(t))
    assert r.added == {"speeches": 1}


BAD_SPEECHES = [
    ({"Session 80 - 2025/PHL_80_2024.txt": "x"}, "folder says session 80 (2025)"),
    ({"Session 80 - 2025/XXX_80_2025.txt": "x"}, "unknown country 'XXX'"),
    ({"Session 80 - 2025/PHL_80_2025.txt": "  "}, "empty speech text"),
    ({"speeches/PHL.txt": "x"}, "no speech files in the General Debate layout"),
]


@pytest.mark.parametrize("files,message", BAD_SPEECHES)
def test_bad_speech_releases_are_refused(store_copy, tmp_path, files, message):
    rel = make_zip(tmp_path / "bad.zip", files)
    before = digest(store_copy)
    r = run("update", "speeches", str(rel), "--db", str(store_copy))
    assert r.returncode == 1 and len(r.stderr.strip().splitlines()) == 1 and message in r.stderr, r.stderr
    assert digest(store_copy) == before


def test_table_release_needs_the_bundled_columns(store_copy, tmp_path):
    t = tmp_path / "rel.csv"
    t.write_text("country,year,text\nPHL,2025,x\n")
    with pytest.raises(releases.InputError, match="missing column.*session"):
        releases.update_speeches(store_copy, str(t))


@pytest.mark.skipif(not SIPRI.exists(), reason="needs /work/shared (the register is not redistributable)")
def test_the_real_trade_register_is_read_whole():
    df, stamp = releases.read_trade_register(SIPRI)
    assert stamp.startswith("23 Oct 2025") and len(df) > 28_000
    # a comment with a line break inside: one deal, its TIV columns after the break
    thai = df[df.comments.str.contains("redesign for other engines", regex=False) & (df.number_ordered == 14)]
    assert len(thai) == 1 and thai.weapon_designation.iloc[0] == "BTR-3" and thai.tiv_delivered.iloc[0] == 3.25
    assert set(df[df.recipient.isin(["Taiwan", "Turkiye"])].recipient_iso3) == {"TWN", "TUR"}


def register(rows: list[str], header: str = ",".join(releases.SIPRI_HEADER)) -> str:
    return "Transfers of major conventional arms (constructed test file)\nData generated: 1 Jan 2026\n" \
           + header + "\n" + "\n".join(rows) + "\n"


ROW = "Philippines,South Korea,2021,,2,,HDC-3100,frigate,2,,2025,New,Constructed row,200,400,400"


def test_arms_rows_are_added_once_with_provenance(store_copy, tmp_path):
    f = tmp_path / "tr.csv"
    f.write_text(register([ROW, ROW.replace("2021", "2022")]), encoding="cp1252")
    r = releases.update_arms(store_copy, f)
    assert r.added == {"arms_transfers": 2} and set(r.stale_streams) == {"practice", "synthesis"}
    f.write_text(register([ROW, ROW.replace("2021", "2022"), ROW.replace("2021", "2023")]))
    assert releases.update_arms(store_copy, f).added == {"arms_transfers": 1}
    with Store(store_copy) as st:
        t = st.table("arms_transfers_user")
        assert len(st.table("update_batches")) == 2
    assert sorted(t.year_of_order) == [2021, 2022, 2023] and set(t.recipient_iso3) == {"PHL"}
    assert set(t.supplier_iso3) == {"KOR"} and set(t.release) == {"1 Jan 2026"}


BAD_ARMS = [
    (register([ROW], header=",".join(releases.SIPRI_HEADER).replace("Supplier", "Seller")), "column 2 is 'Seller'"),
    (register([ROW.replace("2021", "MMXXI")]), "'MMXXI' is not a number"),
    (register([ROW + ",extra"]), "17 cells"),
    (register([ROW.replace(",,2,", ",yes,2,")]), "uncertainty column"),
    ("Recipient;Supplier\nx;y\n", "not a SIPRI trade-register export"),
]


@pytest.mark.parametrize("content,message", BAD_ARMS)
def test_bad_registers_are_refused(store_copy, tmp_path, content, message):
    f = tmp_path / "tr.csv"
    f.write_text(content)
    before = digest(store_copy)
    r = run("update", "arms", str(f), "--db", str(store_copy))
    assert r.returncode == 1 and len(r.stderr.strip().splitlines()) == 1 and message in r.stderr, r.stderr
    assert digest(store_copy) == before
