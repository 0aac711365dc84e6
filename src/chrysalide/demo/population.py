"""The demo forum's members: pseudonyms, heavy-tailed activity, lifetimes, decentering and roles.

Most members come once with a question and leave after thanking (1-3 messages). A few "stayers"
keep posting: their activity weight is Pareto-distributed (Newman 2005, "Power laws, Pareto
distributions and Zipf's law"), so a handful write thousands of messages, and each stayer decenters
(moves from asking to helping) after a lognormal delay of hours to years, as the study observed
(from the day of registration to 2 years 9 months). One "pillar" writes about 5% of all messages,
like the study's most active member (26,478 of 485,000).
"""

from __future__ import annotations

import bisect
import itertools
import random
from dataclasses import dataclass

from chrysalide.demo import compose
from chrysalide.demo.clock import DAY

_FIRST_FR = ("sophie", "marc", "nathalie", "isabelle", "cathy", "lili", "val", "sandrine", "christine", "julie",
             "helene", "brigitte", "martine", "anne", "claire", "manon", "elodie", "karine", "sylvie", "patou",
             "nico", "fred", "domi", "mimi", "caro", "steph", "agnes", "chantal", "laure", "fanny")  # fmt: skip
_FIRST_EN = ("sarah", "kate", "emma", "jen", "lucy", "mike", "dave", "amy", "beth", "rachel", "chris", "sue",
             "liz", "jo", "hannah", "tom", "claire", "megan", "lou", "nat")  # fmt: skip
_NICK_FR = ("papillon", "hashi", "thyro", "levo", "nodule", "basedow", "zen", "fleur", "chat", "soleil")
_NICK_EN = ("butterfly", "hashi", "thyro", "hypo", "graves", "sunny", "kitty", "rose", "bee", "starling")
_ODD_NAMES = ("<b>lili</b>", "Hélène d'Arc", "O'Brien & co", "ж-соня", "  space_name ")


@dataclass(slots=True)
class Member:
    """One posting member of the demo forum (times are epoch seconds)."""

    name: str
    lang: str
    join: float
    leave: float
    weight: float
    decenter: float
    promote: float = float("inf")
    base_role: str = "member"
    style: int = 0
    nick: str = ""

    def __post_init__(self) -> None:
        # The first name a member signs with ("Sophie" for "sophie_T", "Marc" for "marc75").
        self.nick = self.name.strip().split("_")[0].split(".")[0].rstrip("0123456789").capitalize() or "x"

    def role_at(self, t: float) -> str:
        """Role shown on a message posted at ``t`` (members can be promoted to moderator)."""
        if self.base_role != "member":
            return self.base_role
        return "moderator" if t >= self.promote else "member"


class Population:
    """Creates members and picks who writes each message, from one seeded random stream."""

    def __init__(self, rng: random.Random, start: float, end: float) -> None:
        self.rng = rng
        self.start, self.end = start, end
        self._taken: set[str] = set()
        self._stayers: dict[str, list[Member]] = {}
        self._pool: dict[str, tuple[list[Member], list[float]]] = {}
        self._pool_week: dict[str, int] = {}
        self.staff: dict[str, list[Member]] = {}
        self.pillar: dict[str, Member] = {}

    def _name(self, lang: str) -> str:
        r = self.rng
        first = _FIRST_FR if lang == "fr" else _FIRST_EN
        nick = _NICK_FR if lang == "fr" else _NICK_EN
        while True:
            shape = r.random()
            if shape < 0.3:
                name = f"{r.choice(first).capitalize()}_{chr(65 + r.randint(0, 25))}"
            elif shape < 0.55:
                name = f"{r.choice(first)}{r.randint(1, 99)}"
            elif shape < 0.75:
                name = f"{r.choice(nick)}_{r.choice(first)}"
            elif shape < 0.9:
                name = f"{r.choice(first)}.{r.choice(nick)}{r.randint(60, 2005)}"
            elif shape < 0.9015:
                name = r.choice(_ODD_NAMES)
            else:
                name = f"{r.choice(nick).capitalize()}{r.choice(first).capitalize()}{r.randint(1, 9)}"
            if name not in self._taken:
                self._taken.add(name)
                return name

    def _style(self) -> int:
        r = self.rng
        style = 0
        for flag, p in ((compose.NO_ACCENTS, 0.12), (compose.LOWERCASE, 0.06), (compose.TEXTSPEAK, 0.07),
                        (compose.SHOUTY, 0.04), (compose.SIGNATURE, 0.1)):  # fmt: skip
            if r.random() < p:
                style |= flag
        return style

    def newcomer(self, lang: str, t: float, stay_p: float) -> Member:
        """A member whose first message is at ``t``; with probability ``stay_p`` they stay and help."""
        r = self.rng
        m = Member(self._name(lang), lang, t, t + 30 * DAY, 0.0, float("inf"), style=self._style())
        if r.random() < stay_p:
            m.leave = min(t + r.lognormvariate(5.6, 1.1) * DAY, self.end + 365 * DAY)
            # Capped so no helper outgrows the pillar even when few members have stayed yet.
            m.weight = min(r.paretovariate(1.3), 25.0)
            m.decenter = t + (r.random() * DAY if r.random() < 0.1 else r.lognormvariate(3.0, 1.5) * DAY)
            if m.weight > 12 and r.random() < 0.5:
                m.promote = t + r.uniform(1.0, 3.0) * 365 * DAY
            self._stayers.setdefault(lang, []).append(m)
        return m

    def found(self, lang: str, moderators: int, pillar: bool) -> None:
        """The team present from the start: an admin, moderators and (optionally) the pillar member."""
        r = self.rng
        team = []
        for k in range(moderators + 1):
            t = self.start + r.uniform(0, 20) * DAY
            role = "admin" if k == 0 else "moderator"
            team.append(Member(self._name(lang), lang, t, self.end + 365 * DAY, 0.0, t + r.uniform(0, 5) * DAY,
                               base_role=role, style=compose.SIGNATURE * (r.random() < 0.5)))  # fmt: skip
        self.staff[lang] = team
        if pillar:
            t = self.start + r.uniform(10, 40) * DAY
            self.pillar[lang] = Member(self._name(lang), lang, t, self.end + 365 * DAY, 0.0, t + 12 * DAY)

    def helper(self, lang: str, t0: float) -> Member | None:
        """A stayer active when a thread starts at ``t0``, drawn in proportion to activity weight.

        ``None`` while nobody has stayed yet. Thread starts arrive in time order, so the active set
        is rebuilt once a week and members who left are dropped for good.
        """
        week = int((t0 - self.start) // (7 * DAY))
        if self._pool_week.get(lang) != week:
            stayers = [m for m in self._stayers.get(lang, ()) if m.leave > t0]
            self._stayers[lang] = stayers
            active = [m for m in stayers if m.join < t0]
            self._pool[lang] = (active, list(itertools.accumulate(m.weight for m in active)))
            self._pool_week[lang] = week
        active, cum = self._pool[lang]
        if not active:
            return None
        return active[bisect.bisect_right(cum, self.rng.random() * cum[-1])]

    def staff_member(self, lang: str) -> Member:
        """One of the admin and moderators of a sub-forum."""
        team = self.staff[lang]
        return team[int(self.rng.random() * len(team))]
