"""Simulate the demo forum thread by thread and yield its messages in file order.

Who writes and what they write follow the study (Fayn et al. 2021): newcomers open long worried
threads (individual stage), thank and identify with the group (community), stayers decenter and help
others (collaborative), and during the reformulation crisis the forum turns to collective action
(societal). First replies come after a lognormal delay with a median of about 1.5 hours ("usually in
less than 3 hours" in the study).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from chrysalide.demo import boards, clock, compose
from chrysalide.demo.plan import plan_threads
from chrysalide.demo.population import Member, Population

STAGE_OF_KIND = {
    "first_post": "individual", "crisis_ask": "individual", "followup": "individual", "ask": "individual",
    "thanks": "community", "metoo": "community", "welcome": "community", "congrats": "community",
    "advice": "collaborative", "support": "collaborative", "experience": "collaborative",
    "resource": "collaborative", "crisis_report": "societal", "crisis_action": "societal",
    "productive": "societal", "offtopic": "other", "moderation": "other", "bump": "other", "short": "other",
}  # fmt: skip
DECENTERED_KINDS = frozenset({"advice", "support", "resource"})
"""Collaborative kinds whose templates never mention the author's own health."""

P_PILLAR = 0.1  # share of replies written by the pillar member (about 5.5% of all messages)
P_STAFF = 0.06
P_ONE_OFF = 0.07  # replies from someone posting for the first time in another's thread
P_STAY = 0.06  # newcomers who stay and become helpers (raised for small corpora, see Forum)
P_HOSTILE = 1 / 300
P_LONG = 1 / 300  # of first posts, follow-ups and experience stories
P_TYPO = 0.06
CRISIS_T = clock.ts(clock.CRISIS_START)


@dataclass(slots=True)
class Message:
    """One generated message plus the intention it was written with (``stage``, ``kind``)."""

    message_id: str
    thread_id: str
    author: str
    posted_at: float
    text: str
    reply_to: str | None
    title: str | None
    board: str
    author_role: str
    lang: str
    stage: str
    kind: str


def _pick(rng: random.Random, table: tuple[tuple[str, float], ...]) -> str:
    u = rng.random()
    for kind, p in table:
        u -= p
        if u < 0:
            return kind
    return table[-1][0]


class Forum:
    """Holds the random streams, members and composers while threads are written one by one."""

    def __init__(self, messages: int, threads: int, seed: int, languages: tuple[str, ...]) -> None:
        self.rng = random.Random(seed)
        # A small corpus is a sample of a big forum: keep enough helpers active at any time (about
        # 100 over the window) so that no single one of them takes over the conversation.
        self.p_stay = min(0.15, max(P_STAY, 100 / threads))
        self.langs = languages
        shares = (0.7, 0.3) if languages == ("fr", "en") else tuple(1 / len(languages) for _ in languages)
        self.plan = plan_threads(np.random.default_rng(seed), messages, threads, shares, languages)
        self.people = Population(self.rng, clock.ts(clock.WINDOW_START), clock.ts(clock.WINDOW_END))
        for k, lang in enumerate(languages):
            self.people.found(lang, moderators=2 + min(8, threads // 6000), pillar=k == 0)
        self.writers = {lang: compose.Composer(lang, self.rng) for lang in languages}
        self.signatures: dict[str, str] = {}
        self.monster = int(threads // 2)  # the one huge post of the corpus opens this thread
        self._next_id = 0
        self._injected = 0  # the first message always carries one, so even tiny corpora are hostile

    # -- who -------------------------------------------------------------------------------------
    def _replier(self, lang: str, t0: float, t: float, avoid: str) -> Member:
        ppl, r = self.people, self.rng
        for _ in range(3):
            u = r.random()
            pillar = ppl.pillar.get(lang)
            if pillar is not None and u < P_PILLAR:
                m = pillar
            elif u < P_PILLAR + P_STAFF:
                m = ppl.staff_member(lang)
            elif u < P_PILLAR + P_STAFF + P_ONE_OFF:
                return ppl.newcomer(lang, t, 2 * self.p_stay)
            else:
                m = ppl.helper(lang, t0) or ppl.newcomer(lang, t, 2 * self.p_stay)
            if m.name != avoid and m.join < t:
                return m
        return ppl.newcomer(lang, t, 2 * self.p_stay)

    # -- what ------------------------------------------------------------------------------------
    def _reply_kind(self, m: Member, t: float, crisis: bool, lounge: bool, first_time: bool, k: int) -> str:
        r = self.rng
        if first_time:
            return (
                _pick(r, (("crisis_report", 0.5), ("metoo", 0.5)))
                if crisis
                else _pick(r, (("metoo", 0.45), ("ask", 0.4), ("thanks", 0.15)))
            )
        if m.base_role != "member" and r.random() < 0.05:
            return "moderation"
        if lounge:
            return _pick(r, (("offtopic", 0.6), ("congrats", 0.15), ("metoo", 0.15), ("thanks", 0.1)))
        if t < m.decenter:
            if crisis:
                return _pick(r, (("crisis_report", 0.55), ("metoo", 0.25), ("ask", 0.2)))
            return _pick(r, (("metoo", 0.35), ("ask", 0.25), ("thanks", 0.25), ("welcome", 0.1), ("short", 0.05)))
        if crisis:
            return _pick(r, (("crisis_report", 0.35), ("crisis_action", 0.2), ("advice", 0.2), ("support", 0.25)))
        level = clock.crisis_at(t)
        if level and r.random() < 0.3 * level / (1 + level):
            return "crisis_report"
        if k <= 2 and r.random() < 0.08:
            return "welcome"
        return _pick(r, (("advice", 0.42), ("support", 0.2), ("experience", 0.16), ("congrats", 0.05),
                         ("metoo", 0.05), ("resource", 0.02), ("productive", 0.02 if t < CRISIS_T else 0.05),
                         ("short", 0.03)))  # fmt: skip

    def _starter(self, lang: str, t: float, crisis: bool, lounge: bool) -> tuple[Member, str]:
        r, ppl = self.rng, self.people
        u = r.random()
        if u < 0.02:
            m = ppl.staff_member(lang)
            return m, "crisis_action" if crisis else _pick(r, (("resource", 0.7), ("productive", 0.3)))
        if u < 0.2 or lounge:
            veteran = ppl.helper(lang, t)
            if veteran is not None:
                if lounge:
                    return veteran, "offtopic"
                if crisis:
                    return veteran, _pick(r, (("crisis_report", 0.7), ("crisis_action", 0.3)))
                if t >= veteran.decenter and r.random() < 0.15:
                    return veteran, _pick(r, (("resource", 0.6), ("productive", 0.4)))
                return veteran, "followup"
        m = ppl.newcomer(lang, t, self.p_stay)
        if crisis:
            return m, _pick(r, (("crisis_ask", 0.55), ("crisis_report", 0.45)))
        return m, "offtopic" if lounge else "first_post"

    # -- writing ---------------------------------------------------------------------------------
    def _signature(self, m: Member) -> str:
        sig = self.signatures.get(m.name)
        if sig is None:
            w = self.writers[m.lang]
            tpl = self.rng.choice(boards.SIGNATURES[m.lang])
            cond = self.rng.choice([b[0] for b in boards.BOARDS[m.lang] if b[2]])  # a condition board
            sig = tpl.format(cond=cond, year=self.rng.randint(1995, 2011), drug=w.value("drug", {}),
                             dose=w.value("dose", {}))  # fmt: skip
            self.signatures[m.name] = sig
        return sig

    def _text(self, m: Member, kind: str, ctx: dict[str, str], huge: bool) -> str:
        r, lang = self.rng, m.lang
        w = self.writers[lang]
        if kind == "bump":
            return r.choice(boards.BUMPS[lang])
        if kind == "short":
            return r.choice(boards.SHORT[lang])
        ctx["short"] = m.nick
        text = w.text(kind, ctx, paragraphs=kind in ("first_post", "crisis_ask", "crisis_report"))
        if huge:
            text += "\n\n" + w.diary(120_000, ctx)
        elif kind in ("first_post", "followup", "experience") and r.random() < P_LONG:
            text += "\n\n" + w.diary(r.randint(8_000, 40_000), ctx)
        if m.style & compose.SIGNATURE:
            text += "\n--\n" + self._signature(m)
        if m.style:
            text = compose.restyle(text, m.style, lang, r)
        if r.random() < P_TYPO:
            text = compose.typo(text, r)
        if r.random() < P_HOSTILE or self._injected == 0:
            text = compose.inject(text, r, self._injected)
            self._injected += 1
        return text

    def _message(self, tid: str, m: Member, t: float, kind: str, reply_to: Message | None, board: str,
                 ctx: dict[str, str], title: str | None = None, huge: bool = False) -> Message:  # fmt: skip
        if reply_to is not None and reply_to.author != m.name:
            ctx = dict(ctx, name=reply_to.author, name_or_all=reply_to.author)
        self._next_id += 1
        return Message(f"m{self._next_id}", tid, m.name, t, self._text(m, kind, ctx, huge),
                       None if reply_to is None else reply_to.message_id, title, board, m.role_at(t), m.lang,
                       STAGE_OF_KIND[kind], kind)  # fmt: skip

    def thread(self, k: int) -> list[Message]:
        """All messages of the ``k``-th planned thread, in time order."""
        r, plan = self.rng, self.plan
        t0, lang = float(plan.start[k]), self.langs[int(plan.lang[k])]
        crisis = bool(plan.crisis[k]) and t0 >= CRISIS_T
        conds: tuple[str, ...] = ()
        if crisis:
            board = boards.CRISIS_BOARD[lang]
        else:
            board, _, conds = _board(r, lang)
        lounge = board == boards.LOUNGE[lang]
        ctx: dict[str, str] = {"condition": r.choice(conds)} if conds else {}
        starter, kind = self._starter(lang, t0, crisis, lounge)
        w = self.writers[lang]
        first = self._message(f"t{k + 1}", starter, t0, kind, None, board, ctx, w.title(kind, ctx), k == self.monster)
        msgs, t = [first], t0
        for j in range(1, int(plan.size[k])):
            prev = msgs[-1]
            if j == 1 and r.random() < 0.05:  # nobody answered: the starter bumps the thread
                t += r.uniform(1, 4) * clock.DAY
                msgs.append(self._message(first.thread_id, starter, t, "bump", first, board, ctx))
                continue
            t += max(60.0, r.lognormvariate(8.6, 1.3) if j == 1 else r.lognormvariate(9.2, 1.6))
            own = starter.base_role == "member" and prev.author != starter.name and t - t0 < 60 * clock.DAY
            if own and r.random() < (0.35 if j <= 4 else 0.1):
                kind = "followup" if r.random() < (0.5 if j <= 3 else 0.2) else "thanks"
                msgs.append(self._message(first.thread_id, starter, t, kind, prev, board, ctx))
                continue
            m = self._replier(lang, t0, t, prev.author)
            kind = self._reply_kind(m, t, crisis, lounge, m.join >= t, j)
            u = r.random()
            target = first if u < 0.55 else prev if u < 0.9 else msgs[int(r.random() * len(msgs))]
            msgs.append(self._message(first.thread_id, m, t, kind, target, board, ctx))
        return msgs

    def __iter__(self) -> Iterator[Message]:
        for k in range(len(self.plan.start)):
            yield from self.thread(k)


def _board(rng: random.Random, lang: str) -> tuple[str, float, tuple[str, ...]]:
    table = boards.BOARDS[lang]
    u = rng.random() * sum(b[1] for b in table)
    for entry in table:
        u -= entry[1]
        if u < 0:
            return entry
    return table[-1]
