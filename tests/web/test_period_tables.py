"""The dashboard's table by period and `chrysalide community`'s show the same columns, newcomers' requests among
them as in the report, from the run's stored figures, with "-" for a count no source can see.

Regression: neither showed the requests, and the command line printed 0 for answers no source records (Fiv.fr:
"answered 0", "threads no reply 0") where the dashboard and the summary said "-".

The forum of April 2021, by hand (member 2 registered in 2019: an old member, no newcomer):

- 04-01 10:00 newcomer 1 opens thread 1, coded individual: a request; old member 2 answers at 11:00 (1 h)
- 04-02 10:00 newcomer 3 opens thread 2, coded individual: a request, never answered
- 04-03 10:00 newcomer 4 opens thread 3, coded societal: no request; member 2 answers at 16:00 (6 h)

5 messages, 4 active members, 3 newcomers, 2 answered, 1 within 3 h, median first answer (1 + 6) / 2 = 3.5 h;
2 requests, 1 answered, 1 within 3 h, median 1.0 h; 3 threads started, 1 never answered, 1 answered within 3 h.
"""

from __future__ import annotations

import html
from pathlib import Path

from fastapi.testclient import TestClient
from forum_builder import Forum  # type: ignore[import-not-found]
from typer.testing import CliRunner
from web_fixtures import BASE  # type: ignore[import-not-found]

from chrysalide.cli.main import app
from chrysalide.community import community
from chrysalide.store import Store
from chrysalide.web.app import create_app

HEADERS = ["messages", "active members", "newcomers", "newcomers answered", "newcomers answered within 3 h",
           "newcomers' median first answer", "requests", "requests answered", "requests answered within 3 h",
           "requests' median first answer", "threads started", "threads never answered",
           "threads answered within 3 h"]  # fmt: skip
APRIL = ["5", "4", "3", "2", "1", "3.5 h", "2", "1", "1", "1.0 h", "3", "1", "1"]
# Nothing records a reply: every count of answers is unknown, every delay too.
UNSEEN = ["2", "2", "2", "-", "-", "-", "2", "-", "-", "-", "2", "-", "-"]


def _answered(path: Path) -> None:
    with Store(path) as store:
        f = Forum(store, "april")
        f.member(1), f.member(2, registered_at="2019-06-01"), f.member(3), f.member(4)
        f.thread(1), f.thread(2), f.thread(3)
        first = f.post(1, 1, "2021-04-01 10:00", code="individual")
        f.post(2, 1, "2021-04-01 11:00", reply_to=first, code="collaborative")
        f.post(3, 2, "2021-04-02 10:00", code="individual")
        societal = f.post(4, 3, "2021-04-03 10:00", code="societal")
        f.post(2, 3, "2021-04-03 16:00", reply_to=societal, code="collaborative")
        f.save()
        community(store)


def _unseen(path: Path) -> None:
    """Two newcomers each open a thread and ask; the source records no reply."""
    with Store(path) as store:
        f = Forum(store, "solo")
        for member in (1, 2):
            f.member(member), f.thread(member)
            f.post(member, member, f"2021-04-0{member} 10:00", code="individual")
        f.save()
        community(store)


def _dashboard(path: Path) -> tuple[list[str], list[str]]:
    return _page_cells(TestClient(create_app(path), base_url=BASE).get("/community").text)


def _page_cells(page: str) -> tuple[list[str], list[str]]:
    """The headers and April's cells of the dashboard's table by period on its community ``page``."""
    table = page.split('<table class="periods">')[1].split("</table>")[0]
    headers = [html.unescape(h.split("</th>")[0]) for h in table.split("<th>")[2:]]  # after the period's
    row = table.split('<td class="nowrap">2021-04</td>')[1].split("</tr>")[0]
    return headers, [html.unescape(c.split("</td>")[0]) for c in row.split('<td class="num">')[1:]]


def _command_line(path: Path) -> tuple[list[str], list[str]]:
    """The headers and April's cells of the command line's tables by period, side by side."""
    printed = CliRunner().invoke(app, ["community", "--db", str(path)])
    assert printed.exit_code == 0, printed.output
    lines = printed.output.splitlines()
    headers, cells = [], []
    for start in [i for i, line in enumerate(lines) if line.startswith("last 12 periods (month): ")]:
        head = [line for line in lines[start + 1 :] if line.startswith("┃")]
        body = next(line for line in lines[start + 1 :] if line.startswith("│ 2021-04"))
        head = head[: next(i for i, line in enumerate(head) if "period" in line) + 1]  # this table's header lines
        columns = zip(*[[c.strip() for c in line.split("┃")[1:-1]] for line in head], strict=True)
        headers += [" ".join(w for w in column if w) for column in columns][1:]
        cells += [c.strip() for c in body.split("│")[1:-1]][1:]
    return headers, cells


def test_requests_are_shown_by_period_in_the_dashboard_and_the_command_line(tmp_path: Path, wide_console: None) -> None:
    path = tmp_path / "april.duckdb"
    _answered(path)
    assert _command_line(path) == (HEADERS, APRIL)  # first: the dashboard then holds the file read-only
    assert _dashboard(path) == (HEADERS, APRIL)


def test_counts_no_source_can_see_read_dash_in_both(tmp_path: Path, wide_console: None) -> None:
    path = tmp_path / "solo.duckdb"
    _unseen(path)
    assert _command_line(path) == (HEADERS, UNSEEN)  # first: the dashboard then holds the file read-only
    assert _dashboard(path) == (HEADERS, UNSEEN)
