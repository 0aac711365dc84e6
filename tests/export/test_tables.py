"""Parquet / CSV dumps: one file per non-empty table, consent-gated, excluded members gone, a manifest."""

from __future__ import annotations

import json
import zipfile

import pandas as pd
import pytest

from chrysalide.errors import ConfigError
from chrysalide.privacy import WITHHELD
from chrysalide.report.export.tables import export_csv, export_parquet


def read(folder, table, fmt):
    path = folder / f"{table}.{fmt}"
    return pd.read_parquet(path) if fmt == "parquet" else pd.read_csv(path)


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_one_file_per_non_empty_table_with_manifest(filled, tmp_path, fmt):
    export = export_parquet if fmt == "parquet" else export_csv
    report = export(filled, tmp_path / "out")
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    files = {t["table"]: t for t in manifest["tables"]}
    assert {"messages", "members", "threads", "codes", "current_codes", "consent", "sources", "runs"} <= set(files)
    assert "segments" in manifest["skipped_empty"] and "rejects" in manifest["skipped_empty"]
    assert len(report.tables) == len(list((tmp_path / "out").glob(f"*.{fmt}")))
    messages = read(tmp_path / "out", "messages", fmt)
    assert files["messages"]["rows"] == len(messages) == 6  # message 104 of the refusing member is gone
    assert 4 not in set(messages["member_id"].dropna())
    assert 4 not in set(read(tmp_path / "out", "members", fmt)["member_id"])
    assert 104 not in set(read(tmp_path / "out", "codes", fmt)["message_id"])
    texts = messages.set_index("message_id")["text"]
    assert texts[101].startswith("Bonjour") and "[email]" in texts[101]
    assert (texts[[102, 103, 106, 107]] == WITHHELD).all()
    assert files["messages"]["withheld_texts"] == 4
    assert len(files["messages"]["sha256"]) == 64


def test_all_pseudonymised_keeps_text_but_scrubs_contacts(filled, tmp_path):
    export_parquet(filled, tmp_path / "out", quotes="all-pseudonymised")
    texts = read(tmp_path / "out", "messages", "parquet").set_index("message_id")["text"]
    assert texts[102].startswith("Bienvenue") and texts[106].endswith("[phone].")


def test_csv_arrays_are_json(filled, tmp_path):
    export_csv(filled, tmp_path / "out")
    codes = read(tmp_path / "out", "codes", "csv").set_index("message_id")
    assert json.loads(codes.loc[102, "secondary_codes"]) == ["collaborative"]


def test_quoted_text_needs_every_quoted_author(filled, tmp_path):
    filled.con.execute(
        "UPDATE messages SET quoted_text = 'citation', meta = ? WHERE message_id = 105",
        [json.dumps({"quoted_authors": ["M-aaaa000001"]})],
    )
    filled.con.execute(
        "UPDATE messages SET quoted_text = 'autre', meta = ? WHERE message_id = 101",
        [json.dumps({"quoted_authors": ["M-cccc000003"]})],
    )
    export_parquet(filled, tmp_path / "out")
    quoted = read(tmp_path / "out", "messages", "parquet").set_index("message_id")["quoted_text"]
    assert quoted[105] == "citation" and quoted[101] == WITHHELD and quoted[102] is None


def test_rejects_raw_dropped_and_missing_optional_tables_tolerated(filled, tmp_path):
    filled.con.execute("INSERT INTO rejects VALUES ('forum', 9, 'Hortense Valdemar,,', 'empty text', 1)")
    for table in ("alerts", "member_network", "journeys", "segments"):
        filled.con.execute(f"DROP TABLE IF EXISTS {table}")
    filled.con.execute("CREATE TABLE lexical_typical (segment_id BIGINT, text VARCHAR)")
    filled.con.execute("INSERT INTO lexical_typical VALUES (101000, 'Bonjour à tous'), (102000, 'Bienvenue')")
    export_csv(filled, tmp_path / "out")
    # Under --quotes consented the rejects (whose reasons may quote a post's own id) stay home.
    assert not (tmp_path / "out" / "rejects.csv").exists()
    export_csv(filled, tmp_path / "all", quotes="all-pseudonymised")
    rejects = read(tmp_path / "all", "rejects", "csv")
    assert "raw" not in rejects.columns and rejects.loc[0, "reason"] == "empty text"
    typical = read(tmp_path / "out", "lexical_typical", "csv").set_index("segment_id")["text"]
    assert typical[101000] == "Bonjour à tous" and typical[102000] == WITHHELD


def test_bad_options(filled, tmp_path):
    with pytest.raises(ConfigError):
        export_parquet(filled, tmp_path / "out", quotes="everything")
    (tmp_path / "file").write_text("x")
    with pytest.raises(ConfigError):
        export_csv(filled, tmp_path / "file")


def test_a_thread_opened_by_a_guest_keeps_its_title_and_ids_home(filled, tmp_path):
    """patient.info threads start with a guest's question; every post id there is a URL holding its title."""
    from datetime import datetime

    from chrysalide.report.export.refi import export_refi

    slug = "https://forum.example/discuss/zorblax-rash-after-lyme-30"
    filled.con.execute(
        "INSERT INTO threads VALUES (30, 'forum', ?, 'thyroide', 'Zorblax rash after Lyme', ?, 1)",
        [slug, datetime(2019, 1, 1)],
    )  # threads.starter_id is the first *member* (1, who allows quotes), not the guest who asked
    for message_id, member, pos, text in ((301, None, 0, "Zorblax rash, help?"), (302, 1, 1, "See a doctor.")):
        filled.con.execute(
            "INSERT INTO messages (message_id, source_id, native_id, thread_id, member_id, reply_to_id, posted_at,"
            " position_in_thread, text, quoted_text, title, lang, record_no, content_hash, meta)"
            " VALUES (?, 'forum', ?, 30, ?, NULL, ?, ?, ?, NULL, NULL, 'en', ?, 'h', NULL)",
            [message_id, f"{slug}#r{pos}", member, datetime(2019, 1, 1, 10, pos), pos, text, message_id],
        )
    export_csv(filled, tmp_path / "out")
    threads = read(tmp_path / "out", "threads", "csv").set_index("thread_id")
    messages = read(tmp_path / "out", "messages", "csv").set_index("message_id")
    assert threads.loc[30, "title"] == WITHHELD and messages.loc[302, "text"] == "See a doctor."
    # Under --quotes consented no source id leaves at all (they lead to the public post and its user name).
    assert "native_id" not in threads.columns and "native_id" not in messages.columns
    export_refi(filled, tmp_path / "p.qdpx")
    everything = "".join((tmp_path / "out" / f).read_text() for f in ("threads.csv", "messages.csv"))
    with zipfile.ZipFile(tmp_path / "p.qdpx") as zf:
        everything += "".join(zf.read(n).decode() for n in zf.namelist())
    assert "zorblax" not in everything.lower() and "See a doctor." in everything


def test_paths_are_cut_to_file_names(filled, tmp_path):
    filled.con.execute(
        "INSERT INTO runs (stage, component, version, params, started_at, status, summary) VALUES ('consent',"
        " 'consent-csv/1', '0', ?, now()::TIMESTAMP, 'ok', ?)",
        [json.dumps({"path": "/home/alice/thyroid-study/consent.csv", "k": 3}),
         json.dumps({"files": ["C:\\Users\\alice\\forum.csv"], "note": "a/b is not a path"})],
    )  # fmt: skip
    export_csv(filled, tmp_path / "out")
    sources = read(tmp_path / "out", "sources", "csv")
    assert list(sources["location"]) == ["forum.csv"]  # was /tmp/forum.csv
    runs = (tmp_path / "out" / "runs.csv").read_text()
    assert "alice" not in runs and "consent.csv" in runs and "forum.csv" in runs and "a/b is not a path" in runs
