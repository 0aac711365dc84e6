"""Hand-built forums for the journeys and community tests: rows inserted directly into a store."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd

from chrysalide.store import Store, bots

#: A member's default registration date: the date of their first post, as on a forum whose users table dates every
#: member's registration. A member registered then is a newcomer whenever the record starts (migration 0023);
#: ``registered_at=None`` leaves the date unknown (a Reddit export's), so that the burn-in decides.
FIRST_POST = "first post"


class Forum:
    """Collects members, threads, messages, codes and text features, then writes them in one go."""

    def __init__(
        self, store: Store, source: str = "t", first_id: int = 1, options: dict[str, Any] | None = None
    ) -> None:
        """``source`` and ``first_id`` (of the messages) let several forums share one store; ``options``: the
        source's, as an import keeps them (``{"sampled_threads": True}``), written with a ``sources`` row (none
        without them)."""
        self.store = store
        self.source = source
        self.first_id = first_id
        self.options = options
        self.members: list[dict[str, Any]] = []
        self.threads: list[dict[str, Any]] = []
        self.messages: list[dict[str, Any]] = []
        self.codes: list[dict[str, Any]] = []
        self.features: list[dict[str, Any]] = []

    def member(
        self,
        member_id: int,
        role: str = "member",
        registered_at: str | None = FIRST_POST,
        record_start: str | None = None,
    ) -> int:
        """A member; ``registered_at``: a date, :data:`FIRST_POST` (default) or None (unknown); ``record_start``:
        when the record that could hold their earlier messages starts (``members.meta``), if after the source's
        first message."""
        meta = json.dumps({"record_start": record_start}) if record_start else None
        self.members.append({"member_id": member_id, "source_id": self.source, "pseudonym": f"m{member_id}",
                             "registered_at": registered_at, "role": role, "meta": meta})  # fmt: skip
        return member_id

    def thread(self, thread_id: int, board: str = "thyroid", title: str | None = "") -> int:
        """A thread; ``title`` None: a thread without one (a flat export's), "" (default): ``t<thread_id>``."""
        self.threads.append({"thread_id": thread_id, "source_id": self.source, "native_id": str(thread_id), "board": board,
                             "title": f"t{thread_id}" if title == "" else title, "started_at": None,
                             "starter_id": None})  # fmt: skip
        return thread_id

    def post(self, member_id: int | None, thread_id: int, at: str | datetime, text: str = "hello there",
             *, reply_to: int | None = None, code: str | None = None, decentered: bool = False,
             fs: int | None = None, fp: int | None = None, tu: int = 0, vous: int = 0, lang: str = "en",
             parent_missing: str | None = None, left_out: str | None = None, declared: int | None = None,
             record_no: int | None = None) -> int:  # fmt: skip
        """A message; ``parent_missing``: the native id of a parent the source names but lacks (a Reddit comment
        whose submission is not in the file), kept in ``meta.reply_to_native`` as the importer keeps it;
        ``left_out``: what the text step left out of it whole (``"bot"``: signed by a bot); ``declared``: the
        number of replies its source declares for its thread (``meta.replies_at_source``, Reddit's num_comments);
        ``record_no``: its place in the source file (default: its id, so that file order is id order)."""
        message_id = self.first_id + len(self.messages)
        meta = {key: value for key, value in (("reply_to_native", parent_missing), ("replies_at_source", declared))
                if value is not None}  # fmt: skip
        self.messages.append({
            "message_id": message_id, "source_id": self.source, "native_id": str(message_id), "thread_id": thread_id,
            "member_id": member_id, "reply_to_id": reply_to, "posted_at": pd.Timestamp(at), "position_in_thread": None,
            "text": text, "quoted_text": None, "title": None, "lang": lang,
            "record_no": message_id if record_no is None else record_no,
            "content_hash": str(message_id),
            "meta": json.dumps(meta) if meta else None,
        })  # fmt: skip
        if code is not None:
            self.codes.append({
                "run_id": 1, "message_id": message_id, "primary_code": code, "decentered": decentered,
                "origin": "human", "coder": "test", "decided_at": pd.Timestamp("2024-01-01"),
            })  # fmt: skip
        if fs is not None or fp is not None or tu or vous or left_out:
            self.features.append({
                "message_id": message_id, "run_id": 1, "lang": lang, "n_tokens": len(text.split()),
                "first_singular": fs or 0, "first_plural": fp or 0, "second_informal": tu, "second_formal": vous,
                "own_health": False, "left_out": left_out,
            })  # fmt: skip
        return message_id

    def save(self) -> Store:
        con = self.store.con
        if self.options is not None:
            con.execute(
                "INSERT INTO sources VALUES (?, 'test', 'hand-built', now()::TIMESTAMP, ?, false)",
                [self.source, json.dumps(self.options)],
            )
        firsts: dict[int, pd.Timestamp] = {}
        for m in self.messages:
            if m["member_id"] is not None and not pd.isna(m["posted_at"]):
                firsts[m["member_id"]] = min(m["posted_at"], firsts.get(m["member_id"], m["posted_at"]))
        for member in self.members:
            registered = member["registered_at"]
            member["registered_at"] = firsts.get(member["member_id"]) if registered == FIRST_POST else (
                pd.Timestamp(registered) if registered else None)  # fmt: skip
        for table, rows in (("members", self.members), ("threads", self.threads), ("messages", self.messages),
                            ("text_features", self.features)):  # fmt: skip
            if rows:
                frame = pd.DataFrame(rows)
                con.register("rows_", frame)
                con.execute(f"INSERT INTO {table} ({', '.join(frame.columns)}) SELECT * FROM rows_")
                con.unregister("rows_")
        if self.codes:
            frame = pd.DataFrame(self.codes)
            con.register("rows_", frame)
            con.execute(
                "INSERT INTO codes (run_id, message_id, primary_code, secondary_codes, decentered, origin, coder,"
                " decided_at) SELECT run_id, message_id, primary_code, []::VARCHAR[], decentered, origin, coder,"
                " decided_at FROM rows_"
            )
            con.unregister("rows_")
        bots.refresh(self.store)  # as an import and the text step leave the stored bot accounts
        return self.store


def reference_forum(store: Store) -> Store:
    """The forum every exact test reads; expected values are derived by hand in the tests' docstrings.

    Members 1 (A), 2 (B), 3 (C) and 4 (D, moderator registered before the corpus); a guest posts once.
    """
    f = Forum(store)
    a, b, c, d = f.member(1), f.member(2), f.member(3), f.member(4, "moderator", "2019-01-01")
    for t in (1, 2, 3, 4, 5):
        f.thread(t, board="thyroid" if t < 4 else "levothyrox")
    f.post(a, 1, "2020-01-01 10:00", "I have nodules, my dose?", code="individual", fs=3, fp=0)
    f.post(b, 1, "2020-01-01 12:00", "You should ask for a scan", code="collaborative", decentered=True, fs=0, fp=0)
    f.post(a, 1, "2020-01-02 10:00", "Thank you, we are lucky", code="community", fs=1, fp=1)
    f.post(b, 2, "2020-01-05 09:00", "My own question now", code="individual", fs=2, fp=0)
    f.post(None, 2, "2020-01-05 10:00", "a guest passing by")
    f.post(a, 2, "2020-01-10 09:00", "We all went through it", code="collaborative", decentered=True, fs=0, fp=2)
    f.post(a, 2, "2020-02-01 10:00", "We must write to the agency", code="societal", fs=0, fp=3)
    f.post(c, 3, "2020-03-01 08:00", "Anyone there? I am lost", code="individual", fs=1)
    f.post(c, 3, "2020-03-01 09:00", "Still me", code="individual", fs=1)
    f.post(d, 4, "2020-04-01 00:00", "Forum rules", code="other")
    f.post(a, 4, "2020-04-01 01:00", "Merci for the rules")
    b_msg = f.post(b, 5, "2020-05-01 10:00", "New thread by B")
    c_msg = f.post(c, 5, "2020-05-01 11:00", "C answers B")
    f.post(a, 5, "2020-05-01 12:00", "A answers C", reply_to=c_msg)
    f.post(a, 5, "2020-05-01 13:00", "A answers the thread", reply_to=b_msg)
    return f.save()


def code_all(store: Store, stage: str = "individual") -> Store:
    """Code every stored message ``stage`` by hand, as a reader who takes each one for that stage would: for tests
    of imported corpora whose request figures (thread-opening first messages coded individual) are checked
    against the raw files, which hold no codes."""
    store.con.execute(
        "INSERT INTO codes (run_id, message_id, primary_code, secondary_codes, decentered, origin, coder, decided_at)"
        " SELECT 1, message_id, ?, []::VARCHAR[], false, 'human', 'test', TIMESTAMP '2024-01-01' FROM messages",
        [stage],
    )
    return store


def weekly_alerts(store: Store, rows: list[tuple]) -> Store:
    """200 weeks of messages, one a week from Monday 2015-01-05, and an alerts run holding ``rows``: (kind, target,
    start, end, weeks, magnitude, weight) each, for tests of how bursts are read; each burst expects one message a
    week and observes ``magnitude`` times as many."""
    f = Forum(store, "weekly")
    f.member(1), f.thread(1)
    for week in range(200):
        f.post(1, 1, str(date(2015, 1, 5) + timedelta(weeks=week)))
    f.save()
    with store.run("alerts", "test-alerts", {}) as run:
        for i, (kind, target, start, end, weeks, magnitude, weight) in enumerate(rows, 1):
            store.con.execute(
                "INSERT INTO alerts VALUES (?, ?, ?, ?, 'kleinberg', ?, ?, ?, ?, ?, ?, ?, ?, [], [])",
                [
                    run.run_id,
                    i,
                    kind,
                    target,
                    start,
                    start,
                    end,
                    weeks,
                    round(magnitude * weeks),
                    float(weeks),
                    magnitude,
                    weight,
                ],
            )
    return store


def register_at_first_post(store: Store) -> Store:
    """Date every member's unknown registration at their first message, as :data:`FIRST_POST` does for a hand-built
    forum: an imported test file whose subject is not the burn-in then counts every poster as a newcomer however
    short it is (the burn-in of migration 0023 is tested in tests/community/test_arrivals.py)."""
    store.con.execute(
        "UPDATE members SET registered_at = f.posted_at FROM member_firsts f"
        " WHERE members.member_id = f.member_id AND members.registered_at IS NULL"
    )
    return store


def thread_starts_forum(store: Store) -> Store:
    """A corpus of thread starts only: 12 members each open two threads 5 days apart, no thread has a reply; the
    second thread of members 1-6 helps others (coded collaborative, decentered)."""
    f = Forum(store)
    for member in range(1, 13):
        f.member(member)
        f.thread(member * 10), f.thread(member * 10 + 1)
        f.post(member, member * 10, f"2021-01-{member:02d} 10:00", "how do I cope, any advice?", code="individual")
        helps = member <= 6
        f.post(member, member * 10 + 1, f"2021-01-{member + 5:02d} 10:00", "what helped me: pacing" if helps
               else "still tired, any idea?", code="collaborative" if helps else "individual", decentered=helps)  # fmt: skip
    f.save()
    return store
