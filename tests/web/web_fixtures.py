"""The dashboard tests' data and server: a tiny hand-coded forum with hostile content, uvicorn in a thread."""

from __future__ import annotations

import socket
import threading
import time
from datetime import datetime
from pathlib import Path

import uvicorn

from chrysalide.ingest import ingest
from chrysalide.store import Store

HOSTILE = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">Bonjour <b>à tous</b>'
PETITION = "Pétition contre la nouvelle formule : signez ici, faites passer !"
CONTACT = "Écrivez-moi à dan@example.org ou appelez le 06 12 34 56 78 ce soir."
BASE = "http://127.0.0.1:8000"  # the Host the dashboard accepts (it is bound to loopback)

# native id: (thread, author, date, text, reply_to, title, code, secondary codes, confidence)
FORUM = {
    "1": ("t1", "Alice", "2017-08-01 10:00", HOSTILE, "", "<i>Nodule</i> & TSH", "individual", [], 0.4),
    "2": ("t1", "Bob", "2017-08-01 12:30", "Courage ! Tu devrais voir un endocrinologue.", "1", "", "collaborative", ["community"], 0.9),
    "3": ("t1", "Alice", "2017-08-02 09:00", "Merci Bob merci à tous", "2", "", "community", [], 0.55),
    "4": ("t2", "Carol", "2017-08-03 08:00", PETITION, "", "Pétition", "societal", [], 0.2),
    "5": ("t3", "Carol", "2017-08-03 08:05", PETITION, "", "Pétition (bis)", "societal", [], 0.2),
    "6": ("t2", "Dan", "2017-08-03 10:00", CONTACT, "4", "", "collaborative", [], 0.3),
}  # fmt: skip


def _csv_cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def build_store(path: Path) -> Store:
    """Ingest the tiny forum, record consent (Alice may be quoted, Dan is excluded) and code it by hand."""
    csv_path = path.parent / "forum.csv"
    lines = ["message_id,thread_id,author,posted_at,text,reply_to,title"]
    for native, (thread, author, at, text, parent, title, *_rest) in FORUM.items():
        text, title = ("hostile", "hostile title") if text == HOSTILE else (text, title)
        lines.append(f"{native},{thread},{author},{at},{_csv_cell(text)},{parent},{_csv_cell(title)}")
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    store = Store(path)
    ingest(store, csv_path)
    # The hostile markup is put in the store as it is: what ingest makes of markup is not the dashboard's test.
    store.con.execute("UPDATE messages SET text = ? WHERE native_id = '1'", [HOSTILE])
    store.con.execute("UPDATE threads SET title = ? WHERE native_id = 't1'", [FORUM["1"][5]])
    csv_consent = path.parent / "consent.csv"
    csv_consent.write_text("member,status,date,scope\nAlice,granted,2024-01-01,quote\nDan,refused,2024-01-02,exclude\n")
    from chrysalide.privacy import import_consent

    import_consent(store, csv_consent)
    with store.run("coding", "hand/1") as run:
        for native, (*_head, code, secondary, confidence) in FORUM.items():
            store.con.execute(
                "INSERT INTO codes (run_id, message_id, primary_code, secondary_codes, decentered, confidence, origin,"
                " coder, decided_at) SELECT ?, message_id, ?, ?, ?, ?, 'model', 'hand/1', ? FROM messages"
                " WHERE native_id = ?",
                [run.run_id, code, secondary, code == "collaborative", confidence, datetime(2024, 1, 1), native],
            )
    from chrysalide.community import community

    community(store)  # the community page draws the stored run (newcomers' response times)
    return store


def native_ids(path: Path) -> dict[str, int]:
    """native id -> message id of the tiny forum."""
    with Store(path, read_only=True) as store:
        return dict(store.con.execute("SELECT native_id, message_id FROM messages").fetchall())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """The dashboard served by uvicorn in a thread, on a free loopback port."""

    def __init__(self, app: object) -> None:
        self.port = free_port()
        self.app = app
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        deadline = time.time() + 15
        while not self.server.started and time.time() < deadline:
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"
