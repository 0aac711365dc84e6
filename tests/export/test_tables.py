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
    for table in ("alerts", "member_network", "journeys"):
        filled.con.execute(f"DROP TABLE IF EXISTS {table}")
    # Segment ids are hashes of (message, sequence number): whose a segment is, the segments table says.
    run = filled.con.execute("INSERT INTO runs (stage, component, version, started_at, status) VALUES"
                             " ('text', 't', '0', now()::TIMESTAMP, 'ok') RETURNING run_id").fetchone()[0]  # fmt: skip
    filled.con.executemany(
        "INSERT INTO segments VALUES (?, ?, 0, ?, 'x', 'x', NULL)", [[7001, 101, run], [7002, 102, run]]
    )
    filled.con.execute("CREATE TABLE lexical_typical (segment_id BIGINT, text VARCHAR)")
    filled.con.execute(
        "INSERT INTO lexical_typical VALUES (7001, 'Bonjour à tous'), (7002, 'Bienvenue'), (7003, 'Qui')"
    )
    export_csv(filled, tmp_path / "out")
    # Under --quotes consented the rejects (whose reasons may quote a post's own id) stay home.
    assert not (tmp_path / "out" / "rejects.csv").exists()
    export_csv(filled, tmp_path / "all", quotes="all-pseudonymised")
    rejects = read(tmp_path / "all", "rejects", "csv")
    assert "raw" not in rejects.columns and rejects.loc[0, "reason"] == "empty text"
    typical = read(tmp_path / "out", "lexical_typical", "csv").set_index("segment_id")["text"]
    # 7001 is member 1's (quotable), 7002 member 2's (analysed only), 7003 nobody's the store knows: withheld
    assert (typical[7001], typical[7002], typical[7003]) == ("Bonjour à tous", WITHHELD, WITHHELD)


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


def test_a_quote_of_an_excluded_or_unconsenting_member_is_withheld_in_the_source_form_too(filled, tmp_path):
    """Regression (Fiv.fr): a quotable member's post quoted a member who refused; ``quoted_text`` was withheld, but
    ``message_sources.source_text``, the post as the source gives it, held the quote verbatim; and under
    ``all-pseudonymised`` the quoted text of an excluded member was exported (its authors were checked only under
    ``consented``). By hand: 107 (member 2) quotes member 4 (refused: excluded); 105 (member 1, quotable) quotes
    member 3 (no consent row: analysed, not quotable); 101 (member 1) quotes nobody; 103 (member 3) quotes member 4
    inline, as a plain-text export keeps a quote: its header names the pseudonym and no author is recorded."""
    con = filled.con
    quotes = {107: ("Texte refusé", "M-dddd000004"), 105: ("Texte du trois", "M-cccc000003")}
    for message_id, (quoted, author) in quotes.items():
        con.execute("UPDATE messages SET quoted_text = ?, meta = ? WHERE message_id = ?",
                    [quoted, json.dumps({"quoted_authors": [author]}), message_id])  # fmt: skip
    con.execute("UPDATE messages SET quoted_text = 'M-dddd000004 a écrit : Texte refusé' WHERE message_id = 103")
    con.executemany("INSERT INTO message_sources VALUES (?, ?)",
                    [[107, "[quote]Texte refusé[/quote] Nous devrions écrire"],
                     [105, "[quote]Texte du trois[/quote] Merci"], [101, "Bonjour à tous"]])  # fmt: skip
    shown = {}
    for mode in ("consented", "all-pseudonymised"):
        export_csv(filled, tmp_path / mode, quotes=mode)
        sources = read(tmp_path / mode, "message_sources", "csv").set_index("message_id")["source_text"]
        quoted = read(tmp_path / mode, "messages", "csv").set_index("message_id")["quoted_text"]
        shown[mode] = (sources[107], quoted[107], sources[105], quoted[105], sources[101], quoted[103])
    assert shown["consented"] == (WITHHELD, WITHHELD, WITHHELD, WITHHELD, "Bonjour à tous", WITHHELD)
    assert shown["all-pseudonymised"] == (
        WITHHELD, WITHHELD, "[quote]Texte du trois[/quote] Merci", "Texte du trois", "Bonjour à tous", WITHHELD
    )  # fmt: skip


def test_other_members_rows_stay_and_no_longer_name_an_excluded_member_or_message(filled, tmp_path):
    """Regression (patient.info, Fiv.fr): after excluding members, their message and segment ids stayed in other
    tables (``messages.reply_to_id``, ``thread_order.previous_id``, ``threads.starter_id``, ``segment_classes``,
    ``typical_segments``, ``alerts.sample_message_ids``): an id leads to the public post. And the rows of members
    who are not excluded went from ``thread_order`` and ``reply_targets`` when the thread's first author or the
    answered member was excluded. By hand: member 4 (excluded) wrote 104 (thread 10, position 3) and 109, alone in
    thread 30; 108 (member 3) answers 104 at position 4. Segment 987,654,321 is 104's (ids are hashes, not
    message_id x 1000), 555 is 101's."""
    con = filled.con
    con.execute(
        "INSERT INTO threads VALUES (30, 'forum', 't30', 'thyroide', 'Seul', ?, 4)", [pd.Timestamp("2019-01-01")]
    )
    for message_id, thread_id, member_id, pos, reply_to in ((108, 10, 3, 4, 104), (109, 30, 4, 0, None)):
        con.execute(
            "INSERT INTO messages (message_id, source_id, native_id, thread_id, member_id, reply_to_id, posted_at,"
            " position_in_thread, text, lang, record_no, content_hash) VALUES (?, 'forum', ?, ?, ?, ?, ?, ?, 'Oui', 'fr', ?, 'h')",
            [message_id, f"p{message_id}", thread_id, member_id, reply_to,
             pd.Timestamp("2017-03-01 10:00") + pd.Timedelta(minutes=pos), pos, message_id],
        )  # fmt: skip
    run = con.execute("INSERT INTO runs (stage, component, version, started_at, status) VALUES ('lexical', 'r', '0',"
                      " now()::TIMESTAMP, 'ok') RETURNING run_id").fetchone()[0]  # fmt: skip
    con.executemany("INSERT INTO segments VALUES (?, ?, 0, ?, 'texte', 'texte', NULL)",
                    [[987_654_321, 104, run], [555, 101, run]])  # fmt: skip
    con.executemany("INSERT INTO segment_classes VALUES (?, ?, 1, false, NULL)", [[run, 987_654_321], [run, 555]])
    con.executemany("INSERT INTO typical_segments VALUES (?, 1, ?, ?, 1.0)", [[run, 1, 987_654_321], [run, 2, 555]])
    con.execute("INSERT INTO alerts VALUES (?, 1, 'volume', 'messages', 'kleinberg', '2017-03-01', '2017-03-01',"
                " '2017-03-05', 1, 5, 1.0, 5.0, 1.0, ['texte'], [104, 102])", [run])  # fmt: skip
    export_csv(filled, tmp_path / "out", quotes="all-pseudonymised")
    out = {t: read(tmp_path / "out", t, "csv") for t in
           ("messages", "threads", "thread_order", "reply_targets", "segment_classes", "typical_segments", "alerts")}  # fmt: skip
    everything = " ".join(p.read_text(encoding="utf-8") for p in (tmp_path / "out").glob("*.csv"))
    assert "987654321" not in everything and "109" not in out["messages"]["message_id"].astype(str).tolist()
    assert set(out["threads"]["thread_id"]) == {10, 20}  # thread 30 held only the excluded member's message
    assert out["messages"].set_index("message_id")["reply_to_id"].isna()[108]
    order = out["thread_order"].set_index("message_id")
    assert set(order.index) == {101, 102, 103, 105, 106, 107, 108}  # every message not excluded: 7
    assert pd.isna(order.loc[108, "previous_id"]) and order.loc[103, "previous_id"] == 102
    targets = out["reply_targets"].set_index("message_id")
    assert set(targets.index) == set(order.index) and targets.loc[108, ["target_id", "target_member_id"]].isna().all()
    assert out["segment_classes"]["segment_id"].tolist() == [555] == out["typical_segments"]["segment_id"].tolist()
    assert json.loads(out["alerts"]["sample_message_ids"][0]) == [102]


def test_an_excluded_member_named_by_others_is_named_by_nobody(filled, tmp_path):
    """Regression (patient.info, 3 members excluded): 7 replies exported thanked an excluded member by pseudonym,
    and the import's summary listed their pseudonym among the names that are also words. Member 4 is excluded."""
    con = filled.con
    con.execute("UPDATE messages SET text = 'Merci M-dddd000004 et M-aaaa000001 !' WHERE message_id = 101")
    con.execute("INSERT INTO runs (stage, component, version, started_at, status, summary) VALUES ('ingest', 'csv',"
                " '0', now()::TIMESTAMP, 'ok', ?)", [json.dumps({"ambiguous_names": [{"pseudonym": "M-dddd000004"}]})])  # fmt: skip
    for mode in ("consented", "all-pseudonymised"):
        export_csv(filled, tmp_path / mode, quotes=mode)
        texts = read(tmp_path / mode, "messages", "csv").set_index("message_id")["text"]
        assert texts[101] == "Merci [user] et M-aaaa000001 !"
        assert "M-dddd000004" not in (tmp_path / mode / "runs.csv").read_text(encoding="utf-8")
