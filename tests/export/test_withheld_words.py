"""Nothing derived from withheld text leaves the machine: every export format and the report, searched for the words
that only members without quote consent wrote.

The forum is built here: two members allow quotes; one allows analysis only, two gave no answer, one is excluded and
guests wrote too. Everyone writes from one shared vocabulary, and each withheld author also writes words of their own
(invented, so that no lemmatiser changes them), often enough to become characteristic terms of a lexical class and
the top words of a burst. The expected set is computed from the CSV alone: the words of withheld messages that no
quotable message contains.
"""

from __future__ import annotations

import csv
import json
import random
import re
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from chrysalide.ingest import ingest
from chrysalide.pipeline import PipelineOptions, pipeline
from chrysalide.privacy.consent import import_consent
from chrysalide.privacy.quotes import WITHHELD
from chrysalide.report.export import export_codebook, export_csv, export_iramuteq, export_parquet, export_refi
from chrysalide.report.html import report
from chrysalide.store import Store

pytestmark = pytest.mark.slow

COMMON = (
    "thyroid doctor dose tired week blood test result hope thanks feel better treatment levels pain sleep morning "
    "appointment specialist medication weight energy anxious worried support forum advice experience surgery scan "
    "nodule symptoms months years family helps patience courage"
).split()
OWN = {  # each withheld author's own words
    "analyse": ["quorvexil", "brandimok", "zelpharid"],
    "silent1": ["vintraquel", "moxuldren", "pelagrist"],
    "silent2": ["draxomilt", "fenturiol", "kalvoprine"],
    "excluded": ["ostrivanel", "gumbertrax", "wenlidosq"],
    "Guest": ["yarpelinth", "tozimbrak", "hulvanest"],
}
QUOTABLE = ["quote1", "quote2"]
CONSENT = "member,status,date,scope\nquote1,granted,2024-01-01,quote\nquote2,granted,2024-01-01,quote\n" \
    "analyse,granted,2024-01-01,analyse\nexcluded,refused,2024-01-01,quote\n"  # fmt: skip


def forum_rows() -> list[dict[str, str]]:
    """40 threads of 6 messages over two years, and a burst of one silent member's messages in one week."""
    rng = random.Random(7)
    authors = QUOTABLE + list(OWN)
    start, rows, n = datetime(2017, 1, 2, 9), [], 0
    for t in range(40):
        for k in range(6):
            n += 1
            author = authors[(t + k) % len(authors)]
            words = rng.sample(COMMON, 18) + (rng.choices(OWN[author], k=6) if author in OWN else [])
            if author in QUOTABLE:  # quotable members use every shared word, so shared words stay shareable
                words += COMMON[(n * 7) % len(COMMON) :][:12]
            rng.shuffle(words)
            when = start + timedelta(days=18 * t + k, hours=2 * k)
            rows.append({"message_id": f"m{n}", "thread_id": f"t{t}", "author": author, "posted_at": when.isoformat(),
                         "text": " ".join(words).capitalize() + ".", "board": "thyroid"})  # fmt: skip
    for b in range(30):  # a crisis week: the silent member writes about their own words again and again
        n += 1
        words = rng.sample(COMMON, 10) + OWN["silent1"] * 2
        rows.append({"message_id": f"m{n}", "thread_id": f"burst{b % 5}", "author": "silent1", "board": "thyroid",
                     "posted_at": (datetime(2018, 3, 5, 8) + timedelta(hours=4 * b)).isoformat(),
                     "text": " ".join(words) + "."})  # fmt: skip
    return rows


def words(text: str) -> set[str]:
    return set(re.findall(r"[^\W\d_]+", text.lower()))


@pytest.fixture(scope="module")
def forum(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str], set[str]]:
    """The store with every step run and consent imported; the withheld-only words and the excluded member's."""
    folder = tmp_path_factory.mktemp("withheld")
    data = forum_rows()
    with (folder / "forum.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(data[0]))
        writer.writeheader()
        writer.writerows(data)
    (folder / "consent.csv").write_text(CONSENT, encoding="utf-8")
    quotable = set().union(*(words(r["text"]) for r in data if r["author"] in QUOTABLE))
    withheld = set().union(*(words(r["text"]) for r in data if r["author"] not in QUOTABLE))
    excluded = set().union(*(words(r["text"]) for r in data if r["author"] == "excluded"))
    others = set().union(*(words(r["text"]) for r in data if r["author"] != "excluded"))
    db = folder / "forum.duckdb"
    with Store(db) as store:
        ingest(store, folder / "forum.csv")
        import_consent(store, folder / "consent.csv")
        pipeline(store, options=PipelineOptions(k=4, report=folder / "pipeline-report.html"))
    return db, withheld - quotable, excluded - others


def read_everything(path: Path) -> str:
    """Every character an output holds: archive members, Parquet cells, text files."""
    if path.is_dir():
        return "\n".join(read_everything(p) for p in sorted(path.iterdir()))
    if path.suffix == ".qdpx":
        with zipfile.ZipFile(path) as zf:
            return "\n".join(zf.read(n).decode("utf-8") for n in zf.namelist())
    if path.suffix == ".parquet":
        return json.dumps(pq.read_table(path).to_pylist(), default=str, ensure_ascii=False)
    return path.read_text(encoding="utf-8")


def test_the_withheld_words_reach_the_derived_tables(forum: tuple[Path, set[str], set[str]]) -> None:
    """Without a gate they would leak: they are class terms, alert words and segment lemmas in the store."""
    db, only_withheld, only_excluded = forum
    assert {w for ws in OWN.values() for w in ws} <= only_withheld and only_excluded == set(OWN["excluded"])
    with Store(db, read_only=True) as store:
        terms = {r[0] for r in store.con.execute("SELECT term FROM class_terms").fetchall()}
        alert_words = {w for r in store.con.execute("SELECT top_terms FROM alerts").fetchall() for w in r[0]}
        lemmas = words(" ".join(r[0] for r in store.con.execute("SELECT terms FROM segments").fetchall()))
    assert terms & only_withheld and alert_words & only_withheld and only_withheld <= lemmas


def test_no_export_and_no_report_holds_a_withheld_word(forum: tuple[Path, set[str], set[str]], tmp_path: Path) -> None:
    db, only_withheld, _ = forum
    outputs = [tmp_path / n for n in ("t.qdpx", "m.qdpx", "c.qdc", "corpus.txt", "ids.txt", "pq", "csv", "r.html")]
    with Store(db, read_only=True) as store:
        export_refi(store, outputs[0])
        export_refi(store, outputs[1], grouping="member")
        export_codebook(outputs[2])
        export_iramuteq(store, outputs[3])
        export_iramuteq(store, outputs[4], ids=True)
        export_parquet(store, outputs[5])
        export_csv(store, outputs[6])
        report(store, outputs[7])
    outputs.append(db.parent / "pipeline-report.html")
    for path in outputs:
        found = words(read_everything(path)) & only_withheld
        assert not found, f"{path.name} holds words only withheld members wrote: {sorted(found)[:10]}"


def test_all_pseudonymised_shows_them_but_never_the_excluded_members_words(
    forum: tuple[Path, set[str], set[str]], tmp_path: Path
) -> None:
    db, only_withheld, only_excluded = forum
    with Store(db, read_only=True) as store:
        export_csv(store, tmp_path / "csv", quotes="all-pseudonymised")
        export_refi(store, tmp_path / "p.qdpx", quotes="all-pseudonymised")
        report(store, tmp_path / "r.html", quotes="all-pseudonymised")
    for path in (tmp_path / "csv", tmp_path / "p.qdpx", tmp_path / "r.html"):
        found = words(read_everything(path))
        assert found & (only_withheld - only_excluded), path.name
        assert not found & only_excluded, f"{path.name}: {sorted(found & only_excluded)}"


def test_a_withheld_segment_s_tool_words_are_withheld_with_it(forum: tuple[Path, set[str], set[str]], tmp_path) -> None:
    """Regression: a withheld segment's tool words (``segments.tool_terms``, words joined by spaces) left in the CSV
    and Parquet exports, split into letters (106,060 of r/BPD's 108,935 withheld segments): joined again they gave
    each member's sequence of small words. A quotable segment keeps them whole."""
    db, _, _ = forum
    with Store(db, read_only=True) as store:
        export_csv(store, tmp_path / "csv")
        export_parquet(store, tmp_path / "pq")
        stored = dict(store.con.execute("SELECT segment_id, tool_terms FROM segments").fetchall())
    rows = list(csv.DictReader((tmp_path / "csv" / "segments.csv").open(encoding="utf-8")))
    withheld = [r for r in rows if r["text"] == WITHHELD]
    shown = [r for r in rows if r["text"] != WITHHELD]
    assert withheld and shown
    assert all(r["tool_terms"] in (WITHHELD, "") for r in withheld)
    assert all(r["tool_terms"] == (stored[int(r["segment_id"])] or "") for r in shown)
    table = pq.read_table(tmp_path / "pq" / "segments.parquet").to_pylist()
    assert all(r["tool_terms"] in (WITHHELD, None) for r in table if r["text"] == WITHHELD)
    assert all(r["tool_terms"] == stored[r["segment_id"]] for r in table if r["text"] != WITHHELD)
