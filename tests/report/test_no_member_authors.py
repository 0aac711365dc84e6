"""Messages without a member are named by what their import recorded: guests, deleted accounts, unknown authors.

Regression: every such message was a "guest" in the report's overview and in the exports, r/mentalhealth's
1,969 comments of deleted accounts included.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import pytest
from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "journeys"))

from forum_builder import Forum  # noqa: E402

from chrysalide.ingest import ingest  # noqa: E402
from chrysalide.report.export.iramuteq import export_iramuteq, read_corpus  # noqa: E402
from chrysalide.report.export.qdc import PROJECT_NS  # noqa: E402
from chrysalide.report.export.refi import build_project  # noqa: E402
from chrysalide.report.html.context import Context  # noqa: E402
from chrysalide.report.html.sections import section_overview, section_summary  # noqa: E402
from chrysalide.store import Store  # noqa: E402

# A member, a guest, a deleted account, and two messages whose author the export does not give.
FORUM = (
    "message_id,thread_id,author,posted_at,text\n"
    "1,t1,ann,2021-01-01 10:00,my first question\n"
    "2,t1,Guest,2021-01-01 11:00,a passing guest answers\n"
    "3,t1,[deleted],2021-01-01 12:00,a deleted account answers\n"
    "4,t1,,2021-01-01 13:00,nobody is named here\n"
    "5,t1,N/A,2021-01-01 14:00,nor here\n"
)
WITHOUT_MEMBER = "messages without a member"


@pytest.fixture
def forum(store: Store, tmp_path: Path) -> Store:
    path = tmp_path / "forum.csv"
    path.write_text(FORUM, encoding="utf-8")
    ingest(store, path)
    return store


def test_overview_tells_guests_deleted_accounts_and_unknown_authors_apart(forum: Store) -> None:
    facts = dict(section_overview(Context(forum)).facts)
    assert facts[WITHOUT_MEMBER] == "4 (unknown authors 2, deleted accounts 1, guests 1)"
    assert Context(forum).label(None, "deleted") == "deleted account"


def test_key_findings_say_who_wrote_the_messages(forum: Store) -> None:
    """Regression: patient.info's key findings said "865 messages in 122 threads by 272 members", 71 of them by
    guests. FORUM: ann wrote 1 of the 5 messages; 2 have no author, 1 a deleted account's, 1 a guest's."""
    ctx = Context(forum)
    (corpus,) = [r for r in section_summary(ctx).tables[0].rows if r[0] == "corpus"]
    assert corpus[1].startswith("5 messages in 1 thread, 1 by 1 member, 2 by unknown authors, 1 by deleted "
                                "accounts and 1 by guests, 2021")  # fmt: skip
    assert "This corpus holds 5 messages in 1 thread, 1 by 1 member, 2 by" in " ".join(section_summary(ctx).paragraphs)


def test_messages_whose_import_recorded_no_reason_have_an_unknown_author(store: Store) -> None:
    """Rows without ``meta.author_status``: the store cannot say whether a guest or a deleted account wrote them."""
    f = Forum(store)
    f.member(1), f.thread(1)
    f.post(1, 1, "2021-01-01 10:00")
    f.post(None, 1, "2021-01-01 11:00")
    f.save()
    ctx = Context(store)
    assert dict(section_overview(ctx).facts)[WITHOUT_MEMBER] == "1 (unknown authors 1)"
    assert ctx.label(None) == "unknown author"


def test_iramuteq_export_names_them_apart_and_reads_them_back(forum: Store, tmp_path: Path) -> None:
    out = tmp_path / "corpus.txt"
    export_iramuteq(forum, out, quotes="all-pseudonymised", ids=True)
    by_text = read_corpus(out).set_index("text")
    rows = [(by_text.loc[t, "member"], by_text.loc[t, "group"]) for t in
            ("a passing guest answers", "a deleted account answers", "nobody is named here", "nor here")]  # fmt: skip
    assert rows == [("guest", "guest"), ("deleted", "deleted"), ("NA", "unknown"), ("NA", "unknown")]
    assert by_text.loc["my first question", "member"].startswith("M-")
    with Store(tmp_path / "again.duckdb") as again:
        ingest(again, out)
        statuses = again.con.execute(
            "SELECT text, meta->>'author_status' FROM messages WHERE member_id IS NULL ORDER BY text"
        ).fetchall()
        assert again.count("members") == 1
    assert statuses == [("a deleted account answers", "deleted"), ("a passing guest answers", "guest"),
                        ("nobody is named here", "missing"), ("nor here", "missing")]  # fmt: skip


def test_refi_export_names_them_apart(forum: Store) -> None:
    xml, files, _ = build_project(forum, quotes="all-pseudonymised", grouping="member")
    ns = {"q": PROJECT_NS}
    names = sorted(s.get("name") for s in etree.fromstring(xml).iterfind(".//q:TextSource", ns))
    assert len(names) == 4 and names[2].startswith("journey M-")  # ann's journey, one source per kind of author
    assert names[:2] + names[3:] == ["deleted accounts", "guests", "unknown authors"]
    headers = sorted(re.findall(r"^\[([a-z ]+) \|", "\n".join(files.values()), flags=re.M))
    assert headers == ["deleted account", "guest", "unknown author", "unknown author"]


@pytest.mark.corpora
def test_mentalhealth_deleted_accounts_are_not_guests(store: Store, corpora: Path) -> None:
    """r/mentalhealth: Reddit writes the author of a deleted account "None"; counted here from the file."""
    path = corpora / "reddit_mentalhealth_comments_en" / "reddit_post_comments.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        deleted = sum(row["author"].strip() in ("None", "[deleted]", "") for row in csv.DictReader(fh))
    assert deleted == 1969  # PROVENANCE.md
    ingest(store, path)
    facts = dict(section_overview(Context(store)).facts)
    assert facts[WITHOUT_MEMBER] == f"{deleted:,} (deleted accounts {deleted:,})"
