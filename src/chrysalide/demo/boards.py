"""Boards (sub-forums) of the demo forum and the conditions their first posts talk about."""

from __future__ import annotations

# (board, weight among ordinary threads, conditions a newcomer on that board reports; empty = any)
BOARDS: dict[str, tuple[tuple[str, float, tuple[str, ...]], ...]] = {
    "fr": (
        ("Hypothyroïdie", 0.26, ("une hypothyroïdie", "une thyroïdite", "une hypothyroïdie fruste")),
        ("Hyperthyroïdie / Basedow", 0.14, ("une maladie de Basedow", "une hyperthyroïdie", "un nodule toxique")),
        ("Nodules et goitres", 0.18, ("un nodule froid", "un goitre multinodulaire", "un gros nodule")),
        ("Hashimoto", 0.14, ("une maladie de Hashimoto", "une thyroïdite de Hashimoto")),
        ("Cancer et chirurgie", 0.10, ("un cancer papillaire", "une thyroïdectomie à prévoir", "un microcarcinome")),
        ("Traitements", 0.12, ()),
        ("Le café des papillons", 0.06, ()),
    ),
    "en": (
        ("Hypothyroidism", 0.28, ("hypothyroidism", "thyroiditis", "subclinical hypothyroidism")),
        ("Hyperthyroidism & Graves'", 0.14, ("Graves' disease", "hyperthyroidism", "a toxic nodule")),
        ("Nodules & goitre", 0.18, ("a cold nodule", "a multinodular goitre", "a large nodule")),
        ("Hashimoto's", 0.14, ("Hashimoto's", "Hashimoto's thyroiditis")),
        ("Thyroid cancer & surgery", 0.10, ("papillary cancer", "an upcoming thyroidectomy", "a microcarcinoma")),
        ("Medication", 0.10, ()),
        ("Coffee corner", 0.06, ()),
    ),
}

CRISIS_BOARD = {"fr": "Levothyrox : nouvelle formule", "en": "New formula (levothyroxine)"}
"""Board opened for the crisis threads (it exists from ``CRISIS_START`` only)."""

LOUNGE = {"fr": "Le café des papillons", "en": "Coffee corner"}
"""The off-topic board: its threads are chat, thanks and belonging rather than questions."""

BUMPS = {
    "fr": ("up", "Up svp", "Personne ?", "up !", "Je remonte mon message...", "Up up"),
    "en": ("bump", "Bump please", "Anyone?", "up", "Bumping this...", "bump bump"),
}
"""Messages a member posts to push an unanswered thread back up (identical by design)."""

SHORT = {
    "fr": ("🦋", "👍👍", ":)", "+1", "❤️", "[message supprimé par l'auteur]", "..."),
    "en": ("🦋", "👍👍", ":)", "+1", "❤️", "[deleted by author]", "..."),
}
"""Emoji-only, deleted or empty-ish messages (stage ``other``)."""

SIGNATURES = {
    "fr": ("{cond} depuis {year} - {drug} {dose} µg", "Thyroïdectomie totale en {year}, {drug} {dose}",
           "Basedow en rémission depuis {year} 🦋", "Hashimoto, {drug} {dose} le matin, et la vie continue !"),
    "en": ("{cond} since {year} - {drug} {dose} mcg", "Total thyroidectomy {year}, {drug} {dose}",
           "Graves' in remission since {year} 🦋", "Hashi, {drug} {dose} every morning, life goes on!"),
}  # fmt: skip
