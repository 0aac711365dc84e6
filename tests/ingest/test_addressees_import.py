"""An import replaces the name a reply opens with when its member wrote earlier in the thread, in this import or an
earlier one (ingest/threads.py, privacy/addressees.py).

patient.info's user names are a first name and digits; replies opened with the first name of the member they
answer in lower case ("Thanks <name>,") or as a common word ("Yes <Name>,"), which the stored text kept. The user
names here are made up.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from chrysalide.ingest.loader import ingest
from chrysalide.store import Store

BOARD = "https://patient.info/forums/discuss/browse/made-up-board-1"


def _post(user: str, date: str, text: str, replies: list[dict] | None = None) -> dict:
    return {"user": user, "date posted": f"2021-05-{date}+00:00", "post": text, "replies": replies or []}


def _write(path: Path, threads: list[dict]) -> Path:
    path.write_text(json.dumps({BOARD: threads}), encoding="utf-8")
    return path


def _texts(store: Store) -> dict[str, tuple[str, str | None]]:
    rows = store.con.execute(
        "SELECT m.native_id, m.text, s.source_text FROM messages m"
        " LEFT JOIN message_sources s USING (message_id) ORDER BY m.native_id"
    ).fetchall()
    return {native.rsplit("/", 1)[-1]: (text, source) for native, text, source in rows}


def _pseudonym(text: str) -> str | None:
    found = re.search(r"M-[0-9a-f]{10}", text)
    return found.group() if found else None


def test_a_reply_opening_with_an_earlier_authors_name_is_scrubbed(store: Store, tmp_path: Path) -> None:
    first = {
        "title": "Knee swelling",
        "url": "https://patient.info/forums/discuss/knee-swelling-1",
        **_post("robin5531", "01T10:00", "My knee swelled after a stomach bug.", [
            _post("rusty_4410", "01T11:00", "<p>Thanks robin,</p><p>would i get steroids from gp?</p>", [
                _post("robin5531", "01T12:00", "Yes Rusty,C-Diff is mainly in the hospitals."),
            ]),
            _post("hazel38", "01T13:00", "I told robin that the gp was right."),
        ]),
    }  # fmt: skip
    second = {
        "title": "Red eye",
        "url": "https://patient.info/forums/discuss/red-eye-2",
        **_post(
            "hazel38",
            "02T10:00",
            "robin, is this normal?",
            [
                _post("rusty_4410", "02T11:00", "Hi sandy \r\n\r\nI read your post"),  # sandy wrote nothing here
            ],
        ),
    }
    others = {
        "title": "Other",
        "url": "https://patient.info/forums/discuss/other-3",
        **_post("sandy71", "03T10:00", "Hello all."),
    }
    ingest(store, _write(tmp_path / "threads.json", [first, second, others]))
    texts = _texts(store)
    reply, answer = texts["knee-swelling-1#r1"], texts["knee-swelling-1#r1.1"]
    assert reply[0].startswith("Thanks M-") and reply[0].endswith(",\n\nwould i get steroids from gp?")
    assert reply[1] is not None and "robin" not in reply[1] and _pseudonym(reply[1]) == _pseudonym(reply[0])
    assert answer[0].startswith("Yes M-") and "Rusty" not in answer[0]
    assert texts["knee-swelling-1#r2"][0] == "I told robin that the gp was right."  # mid-sentence
    assert texts["red-eye-2"][0] == "robin, is this normal?"  # a thread's first message
    assert texts["red-eye-2#r1"][0] == "Hi sandy \r\n\r\nI read your post"  # sandy71 wrote nothing in this thread


def test_stored_messages_of_an_earlier_import_count_as_earlier(store: Store, tmp_path: Path) -> None:
    start = {
        "title": "Knee swelling",
        "url": "https://patient.info/forums/discuss/knee-swelling-1",
        **_post("robin5531", "01T10:00", "My knee swelled after a stomach bug."),
    }
    ingest(store, _write(tmp_path / "before.json", [start]), source_name="made-up")
    later = {**start, "replies": [_post("hazel38", "01T11:00", "robin, thank you for asking")]}
    ingest(store, _write(tmp_path / "after.json", [later]), source_name="made-up")
    text = _texts(store)["knee-swelling-1#r1"][0]
    assert text.startswith("M-") and text.endswith(", thank you for asking")
