"""Seeds and mutations for benchmarks/fuzz_ingest.py (real data in, hostile variants out)."""

from __future__ import annotations

import csv
import io
import random
import re
from dataclasses import dataclass, field

UNDL_COLUMNS = ["undl_id", "ms_code", "ms_name", "ms_vote", "date", "resolution", "title", "session", "year",
                "meeting", "agenda", "undl_link", "session_symbol"]
REQUIRED = ["undl_id", "ms_code", "ms_vote", "date", "resolution", "title"]
WEIRD_DATES = ["9999-12-31", "0001-01-01", "2023-02-30", "1945-06-25", "2024-W01-1", "20240101", "٢٠٢٤-٠١-٠١",
               "2024-02-29", "2100-01-01", "1945-06-26", "2024-13-01", "2024-1-1", "", "NaT", "2024-01-01T00:00"]
WEIRD_IDS = [str(2**63), str(2**63 - 1), str(2**64), "-1", "0", "²", "١٢٣", "1e9", "+5", "1_000", "0" * 40 + "7",
             "9" * 5000, " 12 ", "0x10", "NaN"]
WEIRD_SESSIONS = ["²", "0", "999", "", "-1", "٧٨", "78.0", "ES-11", str(2**63), "79", "1"]
WEIRD_CHARS = ["\x00", "\x07", "\x1b", "\u202e", "\u200b", "\ufeff", "\x85", "\x7f", "\u2028", "\t", "\\",
               "'", ",", ";", "\u00a0"]
YAML_ATTACKS = [
    "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(f"{n}: &{n} [{','.join(['*' + p] * 9)}]\n"
                                            for p, n in zip("abcdefgh", "bcdefghi")),
    "[" * 20_000 + "]" * 20_000,
    "- " * 5000 + "x",
    "- &a [1, *a]\n",
    "- !!python/object/apply:os.system ['true']\n",
    "- n: " + "9" * 6000 + "\n",
    "- a\n---\n- b\n",
    "- {date: 2023-02-30}\n",
    "- &x {file: a.txt}\n- *x\n- *x\n",
    "".join(f"- k{i}: v\n" for i in range(70_000)),  # 210,000 values: over the limit
    "".join(f"- k{i}: v\n" for i in range(2_000)),  # 6,000 values: a long manifest, within it
    "- !!binary '@@@'\n",
    "- {? [1, 2] : x}\n",
    "- \"\\ud800\"\n",
    "%YAML 9.9\n--- []\n",
    "- !!timestamp 2024-99-99\n",
    "- !!timestamp not-a-date\n",
    "- {file: a.txt, date: !!bool maybe}\n",
    "- !!set [1]\n",
    "- <<: [1]\n",
]
BAD_URLS = ["http://[x", "http://x:99999/", "javascript:alert(1)", "file:///etc/passwd", "http:///x", "//x.org",
            "https://ex ample.org", "http://[::1]:80/", "HTTPS://EXAMPLE.ORG"]
BAD_FILE_NAMES = ["../escape.txt", "/etc/passwd", "a\\0b.txt", "x" * 300 + ".txt", "a.exe", "missing.txt", ".",
                  "sub/../../x.txt", "\u202etxt.md", "a.txt\n", "COM1.txt"]


@dataclass
class Input:
    kind: str  # "votes" or "documents"
    files: dict[str, bytes]
    mutations: list[str] = field(default_factory=list)


def _csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode("utf-8")


def seeds(rng: random.Random, n_votes: int = 60, n_docs: int = 40) -> list[Input]:
    """Valid inputs made from the bundled data: vote exports and document folders."""
    from orderwatch import bundled
    from orderwatch.sources.texts import documents

    v = bundled.read("undl_votes")
    out = []
    ids = rng.sample(sorted(v.undl_id.unique()), n_votes)
    for rcid in ids:
        rows = v[v.undl_id == rcid].sample(rng.randint(2, 8), random_state=rng.randint(0, 2**31))
        cols = rng.choice([UNDL_COLUMNS, REQUIRED, REQUIRED + ["session"], REQUIRED + ["year", "ms_name"]])
        out.append(Input("votes", {"v.csv": _csv([cols] + [[str(r[c]) for c in cols] for _, r in rows.iterrows()])}))
    docs = documents()
    docs = docs[docs.source_url.notna() & docs.date.notna()].sample(n_docs, random_state=rng.randint(0, 2**31))
    recs = list(docs.itertuples(index=False))
    for i in range(n_docs):
        chosen = rng.sample(recs, rng.randint(1, 3))
        files, entries = {}, []
        for j, d in enumerate(chosen):
            name = f"d{j}.{rng.choice(['txt', 'md'])}"
            files[name] = d.text[: rng.randint(200, 3000)].encode("utf-8")
            entries.append({"file": name, "country": d.iso3, "date": str(d.date)[:10], "title": d.title,
                            "source_url": d.source_url, "language": d.language})
        if i % 2:
            cols = list(entries[0])
            files["manifest.csv"] = _csv([cols] + [[e[c] for c in cols] for e in entries])
        else:
            files["manifest.yaml"] = "".join(
                "- " + "\n  ".join(f"{k}: {_yaml(val)}" for k, val in e.items()) + "\n" for e in entries
            ).encode("utf-8")
        out.append(Input("documents", files))
    return out


def _yaml(v: str) -> str:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
        return v
    return '"' + v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


# -- mutations: each takes (text, rng) and returns text (bytes decoded with surrogateescape) ---
def flip(t, rng):
    if not t:
        return t
    i = rng.randrange(len(t))
    return t[:i] + bytes([rng.randrange(256)]).decode("utf-8", "surrogateescape") + t[i + 1:]


def truncate(t, rng):
    return t[: rng.randrange(len(t) + 1)]


def quote(t, rng):
    i = rng.randrange(len(t) + 1)
    return t[:i] + rng.choice(['"', '"', "'", '""', '"\n']) + t[i:]


def delete_span(t, rng):
    i = rng.randrange(len(t) + 1)
    return t[:i] + t[i + rng.randint(1, 40):]


def lines(t, rng):
    ls = t.split("\n")
    i, j = rng.randrange(len(ls)), rng.randrange(len(ls))
    op = rng.choice(["dup", "swap", "drop"])
    if op == "dup":
        ls.insert(i, ls[j])
    elif op == "swap":
        ls[i], ls[j] = ls[j], ls[i]
    else:
        del ls[i]
    return "\n".join(ls)


def newlines(t, rng):
    return rng.choice([t.replace("\n", "\r"), t.replace("\n", "\r\n"),
                       "".join(c if c != "\n" else rng.choice(["\n", "\r", "\r\n"]) for c in t)])


def encoding(t, rng):
    enc = rng.choice(["utf-16", "utf-16-le", "latin-1", "gbk", "utf-32", "cp1252", "utf-8-sig", "big5"])
    raw = t.encode(enc, "replace")
    return raw.decode("utf-8", "surrogateescape")


def huge(t, rng):
    commas = [m.start() for m in re.finditer(",|: ", t)] or [0]
    i = rng.choice(commas) + 1
    filler = rng.choice(["x", "é", "中", '"', "a,"]) * rng.choice([2_001, 131_073, 200_000, 1_000_000])
    return t[:i] + filler + t[i:]


def dates(t, rng):
    found = list(re.finditer(r"\d{4}-\d{2}-\d{2}", t))
    if not found:
        return t
    m = rng.choice(found)
    return t[: m.start()] + rng.choice(WEIRD_DATES) + t[m.end():]


def ids(t, rng):
    ls = t.split("\n")
    if len(ls) < 2:
        return t
    i = rng.randrange(1, len(ls))
    cells = ls[i].split(",")
    cells[0] = rng.choice(WEIRD_IDS)
    ls[i] = ",".join(cells)
    return "\n".join(ls)


def sessions(t, rng):
    ls = t.split("\n")
    head = ls[0].split(",")
    if "session" not in head:
        ls[0] += ",session"
        return "\n".join(ls[:1] + [x + "," + rng.choice(WEIRD_SESSIONS) if x else x for x in ls[1:]])
    k = head.index("session")
    out = [ls[0]]
    for x in ls[1:]:
        cells = x.split(",")
        if len(cells) > k:
            cells[k] = rng.choice(WEIRD_SESSIONS)
        out.append(",".join(cells))
    return "\n".join(out)


def chars(t, rng):
    i = rng.randrange(len(t) + 1)
    c = rng.choice(WEIRD_CHARS + [b"\xed\xa0\x80".decode("utf-8", "surrogateescape"), "\udcff"])
    return t[:i] + c * rng.choice([1, 1, 3]) + t[i:]


def digits(t, rng):
    found = list(re.finditer(r"\d+", t))
    if not found:
        return t
    m = rng.choice(found)
    table = rng.choice([str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"), str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"),
                        str.maketrans("0123456789", "０１２３４５６７８９")])
    return t[: m.start()] + m.group().translate(table) + t[m.end():]


def header(t, rng):
    ls = t.split("\n")
    cells = ls[0].split(",") if "," in ls[0] else [ls[0]]
    op = rng.choice(["drop", "dup", "extra", "blank", "case", "space"])
    k = rng.randrange(len(cells))
    if op == "drop":
        del cells[k]
    elif op == "dup":
        cells.append(cells[k])
    elif op == "extra":
        cells.insert(k, rng.choice(["colour", "", "undl_id ", "__line__", "Title"]))
    elif op == "blank":
        cells = [""]
    elif op == "case":
        cells[k] = cells[k].upper()
    else:
        cells[k] = " " + cells[k] + " "
    ls[0] = ",".join(cells)
    return "\n".join(ls)


def splice(t, rng):
    """A slice of the file pasted elsewhere in it (mid-line, mid-field)."""
    i, j = sorted(rng.randrange(len(t) + 1) for _ in range(2))
    k = rng.randrange(len(t) + 1)
    return t[:k] + t[i:j] + t[k:]


def empty(t, rng):
    return rng.choice(["", " ", "\n\n", "\ufeff", "\x00"])


MUTATIONS = {f.__name__: f for f in (flip, truncate, quote, delete_span, lines, newlines, encoding, huge, dates,
                                     ids, sessions, chars, digits, header, splice, empty)}
WEIGHTS = {"flip": 5, "truncate": 2, "quote": 4, "delete_span": 2, "lines": 2, "newlines": 2, "encoding": 1,
           "huge": 1, "dates": 4, "ids": 2, "sessions": 2, "chars": 3, "digits": 2, "header": 2, "splice": 1,
           "empty": 0.3}


def mutate(seed: Input, rng: random.Random, fresh_ids: bool = False) -> Input:
    """A copy of ``seed`` with one to three mutations (names recorded in ``mutations``)."""
    files = dict(seed.files)
    done: list[str] = []
    if fresh_ids and seed.kind == "votes":
        text = files["v.csv"].decode("utf-8")
        files["v.csv"] = re.sub(r"(?m)^\d+,", f"{rng.randint(10**10, 10**12)},", text).encode("utf-8")
    for _ in range(rng.choice([1, 1, 2, 3])):
        name = _pick_file(files, seed.kind, rng)
        if seed.kind == "documents" and rng.random() < 0.15:
            done.append(_document_attack(files, name, rng))
            continue
        op = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
        text = files[name].decode("utf-8", "surrogateescape")
        files[name] = MUTATIONS[op](text, rng).encode("utf-8", "surrogateescape")
        done.append(op)
    return Input(seed.kind, files, done)


def _pick_file(files: dict, kind: str, rng: random.Random) -> str:
    if kind == "votes":
        return "v.csv"
    manifest = next(n for n in files if n.startswith("manifest"))
    return manifest if rng.random() < 0.75 else rng.choice(sorted(files))


def _document_attack(files: dict, name: str, rng: random.Random) -> str:
    """Attacks specific to a document folder: YAML bombs, hostile file names, binary texts."""
    manifest = next(n for n in files if n.startswith("manifest"))
    op = rng.choice(["yaml", "file_name", "binary_text", "to_yaml", "url"])
    if op == "yaml":
        files.pop(manifest)
        files["manifest.yaml"] = rng.choice(YAML_ATTACKS).encode("utf-8", "surrogateescape")
    elif op == "file_name":
        text = files[manifest].decode("utf-8", "surrogateescape")
        target = rng.choice([n for n in files if not n.startswith("manifest")])
        files[manifest] = text.replace(target, rng.choice(BAD_FILE_NAMES), 1).encode("utf-8", "surrogateescape")
    elif op == "url":
        text = files[manifest].decode("utf-8", "surrogateescape")
        text = re.sub(r"https?://[^,\"\n]*", lambda m: rng.choice(BAD_URLS), text, count=1)
        files[manifest] = text.encode("utf-8", "surrogateescape")
    elif op == "binary_text":
        target = rng.choice([n for n in files if not n.startswith("manifest")])
        files[target] = rng.choice([bytes(range(256)), b"\x00" * 100, b"\xff\xfe" + "文".encode("utf-16-le"),
                                    b"PK\x03\x04" + bytes(rng.randrange(256) for _ in range(200))])
    else:  # the same rows as YAML with anchors and a merge key
        text = files.pop(manifest).decode("utf-8", "surrogateescape")
        files["manifest.yaml"] = ("- &first\n  " + text.replace("\n", "\n  ") + "\n- <<: *first\n").encode(
            "utf-8", "surrogateescape")
    return "doc_" + op
