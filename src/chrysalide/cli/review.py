"""``chrysalide review``: walk the least certain codes in the terminal and record human decisions."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from chrysalide.cli.common import DEFAULT_DB_PATH, SEED_MAX, DbOption, JsonOption, console, err_console, print_json

#: Upper bound of ``--n`` and ``--audit``: more messages than anyone reviews by hand in one sitting (a reviewer
#: quits with q at any time), and far below DuckDB's BIGINT limits the queue's query works with.
REVIEW_MAX = 1_000_000

_HELP = "a=accept  1=individual 2=community 3=collaborative 4=societal 5=other  s=skip  q=quit"


def _ask(item: dict[str, Any]) -> str:
    """Show one message on stderr (user text printed without markup) and read a key from stdin."""
    if item["retry"]:
        err_console.print(f"unknown key; {_HELP}", markup=False)
    else:
        err_console.rule(f"message {item['message_id']} ({item['reason']})")
        err_console.print(item["text"][:3000], markup=False, highlight=False)
        scores = "  ".join(f"{c} {item['score_' + c]:.2f}" for c in
                           ("individual", "community", "collaborative", "societal", "other"))  # fmt: skip
        secondary = ", ".join(item["secondary_codes"] or []) or "-"
        err_console.print(f"current: {item['primary_code']} (secondary {secondary}; {item['origin']})  {scores}",
                      markup=False)  # fmt: skip
        err_console.print(_HELP, markup=False)
    line = sys.stdin.readline()
    return line if line else "q"  # end of input = quit


def register(app: typer.Typer) -> None:
    @app.command("review")
    def review_cmd(
        db: DbOption = DEFAULT_DB_PATH,
        reviewer: Annotated[str, typer.Option("--reviewer", help="Your name, recorded with each decision.")] = (
            "reviewer"
        ),
        n: Annotated[
            int,
            typer.Option("--n", min=0, max=REVIEW_MAX, help="How many least-certain messages to show."),
        ] = 20,
        audit: Annotated[
            int,
            typer.Option(
                "--audit",
                min=0,
                max=REVIEW_MAX,
                help="How many random messages to add (audit: measures the coder on this database).",
            ),
        ] = 5,
        seed: Annotated[int, typer.Option("--seed", min=0, max=SEED_MAX, help="Seed of the audit sample.")] = 0,
        json_: JsonOption = False,
    ) -> None:
        """Review codes: accept, change (1-5), skip or quit; reads answers from stdin, one per line."""
        from chrysalide.coding.audit import MEASURE_HINT, describe, review_agreement
        from chrysalide.coding.review import review
        from chrysalide.store import Store

        with Store(db, create=False) as store:
            counts = review(store, _ask, reviewer=reviewer, n=n, audit=audit, seed=seed)
            agreement = review_agreement(store.con)
        if json_:
            print_json({**counts, "agreement": {k: a.as_dict() for k, a in agreement.items()}})
            return
        console.print(f"accepted {counts['accepted']}, changed {counts['changed']}, skipped {counts['skipped']}")
        console.print("The automatic codes against every decision stored in this database:", markup=False)
        for line in [describe(a) for a in agreement.values()] or [f"no decision yet ({MEASURE_HINT})"]:
            console.print(f"  {line}", markup=False, soft_wrap=True)
