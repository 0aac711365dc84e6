"""A table's columns that no field reads are named, with the ``--map`` their names suggest, and a source without ids
of its own is not read a second time another way (its messages would be stored twice).

Regression: the r/breastcancer table (``user_id, timestamp, text``) imported without ``--map`` stored 2,601
messages without author or date and 0 warnings; importing it again with the mapping added 3,456 more to the same
source (6,057 in all, for 3,457 rows).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from chrysalide.errors import InputError
from chrysalide.ingest.formats.tabular import FIELDS
from chrysalide.ingest.loader import ingest


def _csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _count(store, sql: str = "SELECT count(*) FROM messages") -> int:
    return int(store.con.execute(sql).fetchone()[0])


def test_unread_columns_are_named_with_the_map_their_names_suggest(store, tmp_path: Path) -> None:
    path = _csv(
        tmp_path / "posts.csv", "user_id,timestamp,text,score\nann,1600000000,Hello all,3\nbob,1600000100,Hi,1\n"
    )
    report = ingest(store, path)
    assert report.imported == 2
    assert report.warnings == [
        "posts.csv: 3 column(s) left out, as no field reads them: 'user_id', 'timestamp', 'score'. No column is named "
        "'author' or 'posted_at': without 'author' each message belongs to no member; without 'posted_at' each message "
        "is undated. If those columns hold them, import the file into a new database with --map author=user_id --map "
        "posted_at=timestamp (a source is read one way) (docs/importers.md)"
    ]
    # What the warning says the messages lack, they lack.
    assert _count(store, "SELECT count(*) FROM messages WHERE member_id IS NULL AND posted_at IS NULL") == 2


def test_a_table_whose_columns_are_all_read_warns_of_nothing(store, tmp_path: Path) -> None:
    path = _csv(tmp_path / "t.csv", "message_id,thread_id,author,posted_at,text\nm1,t1,ann,2020-01-01,Hello\n")
    assert ingest(store, path).warnings == []


def test_a_column_name_with_a_space_is_suggested_quoted_and_a_missing_text_names_its_candidate(
    store, tmp_path: Path
) -> None:
    path = _csv(tmp_path / "export.csv", "Body,User,Created UTC\nhello there,bob,1600000000\n")
    with pytest.raises(InputError) as err:
        ingest(store, path)
    assert "missing required text (column 'text')" in str(err.value)
    assert "--map author=User --map 'posted_at=Created UTC' --map text=Body" in str(err.value)
    report = ingest(store, path, mapping={"text": "Body"})
    assert "--map author=User --map 'posted_at=Created UTC'" in report.warnings[0]


def test_thread_starts_are_not_told_they_lack_threads_and_other_placements_are(store, tmp_path: Path) -> None:
    path = _csv(tmp_path / "a.csv", "id,link_id,parent_id,body\nc1,t3_x,t3_x,Welcome\n")
    report = ingest(store, path, mapping={"text": "body"})
    assert report.warnings[0].endswith(
        "with --map thread_id=link_id --map message_id=id --map reply_to=parent_id (a source is read one way) "
        "(docs/importers.md)"
    )
    starts = _csv(tmp_path / "b.csv", "body,topic,user\nHelp me,x,ann\n")
    notice = ingest(store, starts, mapping={"text": "body"}, thread_starts=True).warnings[0]
    assert "'topic'" in notice and "--map author=user" in notice
    assert "thread_id" not in notice  # declared: every row opens a thread of its own


def test_json_lines_keys_no_field_reads_are_named(store, tmp_path: Path) -> None:
    path = tmp_path / "msgs.jsonl"
    rows = [{"text": "Hello", "author": "ann", "created_utc": 1600000000, "subreddit": "x"}, {"text": "Hi", "score": 2}]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    (notice,) = ingest(store, path).warnings
    assert notice.startswith("msgs.jsonl: 3 column(s) left out, as no field reads them: 'created_utc', 'subreddit', "
                             "'score'. No column is named 'posted_at'")  # fmt: skip
    assert notice.endswith("with --map posted_at=created_utc --map board=subreddit (a source is read one way) "
                           "(docs/importers.md)")  # fmt: skip


def test_a_column_a_field_reads_named_twice_is_refused(store, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"column\(s\) named twice in the header: 'text'"):
        ingest(store, _csv(tmp_path / "twice.csv", "text,text,author\na,b,ann\n"))
    assert _count(store) == 0
    report = ingest(store, _csv(tmp_path / "other.csv", "text,note,note\na,b,c\n"))  # a column no field reads
    assert (report.imported, report.warnings[0].split(":")[1]) == (1, " 1 column(s) left out, as no field reads them")


def test_a_source_without_ids_is_not_read_again_another_way(store, tmp_path: Path) -> None:
    path = _csv(tmp_path / "posts.csv", "user_id,timestamp,text\nann,1600000000,[removed]\nbob,1600000100,[removed]\n")
    first = ingest(store, path)
    # Without author and date the two rows are one message: the warning said what a missing field costs.
    assert (first.imported, first.duplicates) == (1, 1)
    with pytest.raises(InputError) as err:
        ingest(store, path, mapping={"author": "user_id", "posted_at": "timestamp"})
    assert "source 'posts' was imported without --map, this import reads it with --map author=user_id --map " \
           "posted_at=timestamp; 1 of its stored messages have no id of their own" in str(err.value)  # fmt: skip
    assert _count(store) == 1
    again = ingest(store, path)  # read as before: nothing new
    assert (again.imported, again.duplicates, _count(store)) == (0, 2, 1)


def test_a_source_with_ids_of_its_own_may_be_read_another_way(store, tmp_path: Path) -> None:
    path = _csv(tmp_path / "posts.csv", "id,author,text,ts\nm1,ann,Hello,1600000000\n")
    ingest(store, path, mapping={"message_id": "id"})
    report = ingest(store, path, mapping={"message_id": "id", "posted_at": "ts"})
    # The id names the message: a changed content is a reject, never a second copy.
    assert (report.imported, report.rejected, _count(store)) == (0, 1, 1)


@pytest.mark.corpora
def test_breastcancer_table_without_map(store, corpora: Path) -> None:
    path = corpora / "reddit_breastcancer_en" / "q4_tw_rd" / "data" / "data_reddit.csv"
    with path.open(encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    unread = [c for c in header if c not in FIELDS]
    assert unread == ["user_id", "timestamp"]
    report = ingest(store, path, keep_names=True, thread_starts=True)
    assert report.warnings[0].startswith(f"data_reddit.csv: 2 column(s) left out, as no field reads them: {unread[0]!r}, "
                                         f"{unread[1]!r}. No column is named 'author' or 'posted_at'")  # fmt: skip
    assert "--map author=user_id --map posted_at=timestamp" in report.warnings[0]
    stored = _count(store)
    with pytest.raises(InputError, match="would be stored a second time"):
        ingest(
            store, path, keep_names=True, thread_starts=True, mapping={"author": "user_id", "posted_at": "timestamp"}
        )
    assert _count(store) == stored


def test_a_pandas_index_column_is_no_reason_to_call_the_header_text(store, tmp_path: Path) -> None:
    """pandas writes its index as a first column without a name: the header is still a header."""
    path = _csv(tmp_path / "labels.tsv", "\tids\tbody\tlabel\n0\tA.1.txt\tTired all day on it.\t1\n")
    with pytest.raises(InputError, match=r"missing required text \(column 'text'\); columns found: ids, body, label "
                                         r"\(rename with --map text=body\)"):  # fmt: skip
        ingest(store, path)
    report = ingest(store, path, mapping={"text": "body"})
    assert report.imported == 1
    assert "2 column(s) left out, as no field reads them: 'ids', 'label'" in report.warnings[0]


@pytest.mark.corpora
def test_cadec_table_written_by_pandas_is_read(store, corpora: Path) -> None:
    path = corpora / "cadec_askapatient_infoseeking_en" / "CADEC-Annotations" / "CADEC_train.tsv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f, delimiter="\t") if r["body"].strip()]
    with pytest.raises(InputError, match=r"rename with --map text=body\)"):
        ingest(store, path, keep_names=True)
    report = ingest(store, path, keep_names=True, mapping={"text": "body"})
    assert report.imported + report.duplicates == len(rows)


@pytest.mark.corpora
def test_fiv_table_in_french_gets_the_whole_mapping_suggested(store, corpora: Path) -> None:
    path = corpora / "fivfr_pma_forum_fr" / "assets" / "data_psychopma.csv"
    with path.open(encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    assert header == ["Utilisateur", "Date", "Contenu"]
    with pytest.raises(InputError) as err:
        ingest(store, path)
    assert str(err.value).endswith("(rename with --map author=Utilisateur --map posted_at=Date --map text=Contenu)")
    report = ingest(store, path, mapping={"author": "Utilisateur", "posted_at": "Date", "text": "Contenu"})
    assert report.imported > 0 and not any("left out, as no field reads" in w for w in report.warnings)


def test_a_reddit_comment_table_read_as_csv_is_told_its_ids_and_its_format(store, tmp_path: Path) -> None:
    """A Reddit comment table names the submission a comment answers "post_id" and the comment "comment_id": the
    suggested --map takes the comment's for the message's id (its first suggestion took "post_id", and 8,885 of
    r/mentalhealth's 9,885 comments were rejects as duplicate ids), and the error names the format that reads it."""
    path = _csv(
        tmp_path / "comments.csv",
        "post_id,comment_id,author,body,score,created_utc,parent_id,is_submitter\n"
        "8x,c1,ann,Thank you for posting,3,1527536492.0,t3_8x,False\n",
    )
    with pytest.raises(InputError) as error:
        ingest(store, path, format="csv")
    message = str(error.value)
    assert "--map message_id=comment_id --map thread_id=post_id" in message
    assert message.endswith("it looks like a 'reddit' export: --format reddit reads it as one (docs/importers.md)")


def test_post_id_alone_is_a_message_s_id(store, tmp_path: Path) -> None:
    path = _csv(tmp_path / "forum.csv", "post_id,topic_id,body\np1,t1,Hello\n")
    (notice,) = ingest(store, path, mapping={"text": "body"}).warnings
    assert notice.endswith("with --map thread_id=topic_id --map message_id=post_id (a source is read one way) "
                           "(docs/importers.md)")  # fmt: skip


def test_a_column_mapped_to_dates_that_holds_none_is_refused(store, tmp_path: Path) -> None:
    """The texts mapped as the dates (columns swapped, as a user did with Fiv.fr): nothing is imported, and the error
    names the column and its first value; the same values under a column named posted_at, not mapped, leave the
    messages undated with a warning each."""
    path = _csv(tmp_path / "swapped.csv", "Contenu,Date\nBonjour à toutes,2019-04-22\nMerci !,2019-04-23\n")
    with pytest.raises(InputError, match=r"none of the 2 values of column 'Contenu' \(--map posted_at=Contenu\) is a "
                       r"date \(first, .*'Bonjour à toutes'\).*nothing imported"):  # fmt: skip
        ingest(store, path, mapping={"posted_at": "Contenu", "text": "Date"})
    assert _count(store) == 0
    undated = _csv(tmp_path / "undated.csv", "text,posted_at\nBonjour à toutes,hier soir\nMerci !,ce matin\n")
    report = ingest(store, undated)
    assert report.imported == 2 and sum("unreadable timestamp" in w for w in report.warnings) == 2
    mixed = _csv(tmp_path / "mixed.csv", "Contenu,Quand\nSalut,hier\nCoucou,2019-04-23\n")
    assert ingest(store, mixed, mapping={"posted_at": "Quand", "text": "Contenu"}, source_name="m").imported == 2
