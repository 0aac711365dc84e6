"""Language identification by stop-word profiles: offline, no model, a few microseconds a message.

Each language has a list of its most frequent function words (plus a few forum words such as
``merci``/``thanks``/``danke``). A message scores one point per *distinct* word of its head found
in a language's list (a word in several lists scores for each; French elided forms ``l'`` ``j'``
``qu'`` are read off the words they are glued to), plus half a point per distinct letter specific
to a language's spelling (``ç`` ``è`` ``ê`` for French, ``ä`` ``ö`` ``ü`` ``ß`` for German, ``ñ``
``¿`` ``¡`` for Spanish). The best language wins when it has at least one point and 1.5 times the
runner-up; otherwise the text is too short or too mixed to tell and the answer is ``und`` (ISO
639-2 "undetermined"). Only the first 400 characters are read: about 70 words, enough for
function words to dominate, and it bounds the cost on huge messages. Scores are set intersections
(C loops), a few microseconds a message. The approach is the classic stop-word method
(Grefenstette 1995, "Comparing two language identification schemes", JADT).

A word frequent in a language's forum talk is listed for it even when it is another language's function
word: English forums write ``im`` (I'm), ``man``, ``op`` (original poster), ``die``, ``over``, ``come``, which
are German, Dutch and Italian function words, and French writes ``a`` (has), English's article. Each of these
was found in at least 0.1% (and 20) of the messages of our real forums of that language, among the forms listed
for another language only, and kept when read as a word of the language (not a name or a letter); a shared word
then scores for both and decides nothing. Before, 133 of r/covidlonghaulers' messages were called German or
Dutch, mostly on one such word ("Same man.", "Any updates OP?", "im scared"); the counts are in docs/text-layer.md.

Given the language of its context (``context=``: the text step passes its source's dominant language), a
message takes it unless its own words say otherwise clearly: another language wins only with at least
:data:`STRONG` points and 1.5 times the context language's. A message of one listed word (and a letter at most)
is too thin to tell one language from another ("E", "Dat serotonin tho", "Vitamin E oil" each scored one word
of another language on English forums), and a tie the context language is part of ("OP is trolling": en 2, nl
2) is no evidence against it. This is the prior of short messages' language identification (Carter, Weerkamp
and Tsagkias 2013, "Microblog language identification: overcoming the limitations of short, unedited and
idiomatic text", Language Resources and Evaluation 47(1): the language of the author's, the conversation's or
the collection's other messages decides where the message alone cannot). Its cost: a foreign message of one
listed word ("Danke", "Merci :-)" on an English forum) takes the forum's language. A message with no listed
word at all stays ``und``: nothing in it is evidence, not even for the context.

Within a message of one language, a passage of another (an English abstract or FDA statement quoted in a German
post) is told by the same scores over its words: :func:`other_language` names the language a segment (about 40
words) is written in when it is not its message's, for the lexical step to leave out of a one-language analysis.
It asks for clear evidence, :data:`CLEAR` points of the other language and :data:`CLEAR_RATIO` times the
message language's: a German segment that names English drugs or a book ("Let Them Eat Prozac") keeps its German
function words and stays German, and so do the reference lists of German posts ("Kirsch I, et al. Prevention &
Treatment") and a half-English, half-German line of a translated list. On ADFD (German) it finds 72 segments among
3,866: 71 English quotations and a line of Bavarian dialect (``i``, ``is``, ``do``: English by their form); on r/BPD,
patient.info (English) and Fiv.fr (French), none (docs/lexical.md).
"""

from __future__ import annotations

import math
import re
from collections import Counter

UNDETERMINED = "und"
#: Points below which a message is too thin to tell from its context's language (module docstring).
STRONG = 2.0
#: How many times the runner-up's points the winner needs.
RATIO = 1.5
#: Points another language needs in a segment, and how many times its message language's points, for the segment
#: to be written in that language (:func:`other_language`; module docstring).
CLEAR = 4.0
CLEAR_RATIO = 2.0
#: The ratio at which a segment is *mixed*: another language scores more than its message's (a bilingual post that
#: alternates English and its German translation), as the lexical analysis leaves out (``lexical.segment_language``).
MIXED_RATIO = 1.0


def clue_points(ratio: float = CLEAR_RATIO) -> float:
    """Points of clues of another language (:func:`clue_pattern`) a text :func:`other_language` finds written in it
    at ``ratio`` holds at least (above 0 at ``MIXED_RATIO``, where its points must exceed its message language's)."""
    return CLEAR * (ratio - 1) / ratio


_STOPWORDS = {
    "fr": """le la les un une des du de d' l' et est à au aux en dans pour sur avec par pas ne n' que qu'
        qui je j' tu il elle on nous vous ils elles me m' te t' se s' moi toi mon ma mes ton ta tes son sa ses
        notre nos votre vos leur leurs ce c' cette ces ça cela mais ou donc car si plus très bien tout tous
        aussi été être avoir ai as avons avez ont suis es sommes êtes sont était fait faire peut merci bonjour
        bonsoir oui non avais depuis encore comme quand où y lui sans sous chez même après avant
        a an mal dit ci mis su""",
    "en": """the a an and is are was were be been being have has had do does did not no of to in on at for
        with by from as that this these those it its i me my mine we us our you your he she him her his they
        them their what which who but or if so very just can could would should will shall may might must
        there here about after before because than then thanks thank hi hello yes i'm i've don't it's
        didn't can't doesn't isn't you're i'd i'll
        over im come man op die met plus non car per ai yo ha er son ton war""",
    "de": """der die das den dem des ein eine einen einem einer eines und ist sind war waren bin bist sein
        haben habe hat hatte nicht kein keine zu im in mit von für auf aus bei nach über unter ich mich mir
        mein meine du dich dir dein wir uns unser ihr euch sie ihnen er es man was wie wer aber oder wenn
        dass weil auch noch schon sehr nur doch mal danke hallo ja nein auch bitte geht wird werden kann
        können muss diese dieser dieses jetzt
        so als an da dank""",
    "es": """el la los las un una unos unas y es son está están estoy fue ser de del al en con por para
        que qué no sí yo me mi mis tú te tu tus él ella nosotros nos vosotros ellos se su sus lo le les
        pero o si muy más también como cuando porque gracias hola tengo tiene hay este esta esto""",
    "it": """il lo la i gli le un uno una e è sono era essere di del della dei delle al alla in con per su
        da che non sì io mi mio mia miei tu ti tuo tua lui lei noi ci voi vi loro si ma o se molto più anche
        come quando perché grazie ciao ho hai ha abbiamo questo questa""",
    "nl": """de het een en is zijn was waren ben bent heb hebt heeft had niet geen van te in op met voor aan
        uit bij naar over ik mij me mijn jij je jou jouw wij we ons onze jullie zij ze hij haar hem wat wie
        maar of als dat omdat ook nog al zeer heel dank bedankt hallo ja nee dit deze die er""",
}

_LETTERS = {"fr": "çèêëœîôû", "de": "äöüß", "es": "ñ¿¡"}
_HEAD = 400

_SETS = {lang: frozenset(words.split()) for lang, words in _STOPWORDS.items()}
_ALL_WORDS = frozenset().union(*_SETS.values())
_WORD_RE = re.compile(r"[^\W\d_]+(?:'[^\W\d_]*)?")
# The elided head of a word (l'hôpital -> l'). No listed word has a listed elided head, so a word
# and its head never both score.
_ELIDED_RE = re.compile(r"(?<![^\W\d_])[^\W\d_]+'(?=[^\W\d_])")

_NO_HITS: frozenset[str] = frozenset()
# piece as written -> its listed words; bounded (restarted when full) against hostile input
_PIECES: dict[str, frozenset[str]] = {}
_CACHE_MAX = 500_000
_PIECE_MAX_CHARS = 64

LANGUAGES = tuple(_STOPWORDS)


def _piece_hits(piece: str) -> frozenset[str]:
    """The listed words in one whitespace-free piece of text (elided heads included)."""
    low = piece.lower().replace("\u2019", "'")
    hits = _ALL_WORDS.intersection(_WORD_RE.findall(low))
    if "'" in low:
        hits |= _ALL_WORDS.intersection(_ELIDED_RE.findall(low))
    return frozenset(hits)


def scores(text: str) -> dict[str, float]:
    """Stop-word and letter scores of each known language for ``text`` (zero scores omitted)."""
    head = text[:_HEAD]
    # Words never cross whitespace, so the listed words of the head are the union of those of its
    # pieces, each piece looked up once (cached): C loops only once the pieces are known.
    pieces = head.split()
    if len(_PIECES) > _CACHE_MAX:
        _PIECES.clear()
    try:
        hits = _NO_HITS.union(*map(_PIECES.__getitem__, pieces))
    except KeyError:
        found = []
        for piece in pieces:
            piece_hits = _PIECES.get(piece)
            if piece_hits is None:
                piece_hits = _piece_hits(piece)
                if len(piece) <= _PIECE_MAX_CHARS:
                    _PIECES[piece] = piece_hits
            found.append(piece_hits)
        hits = _NO_HITS.union(*found)
    low = "" if head.isascii() else head.lower()  # ASCII: no language-specific letter to look for
    result: dict[str, float] = {}
    for lang, stop in _SETS.items():
        score = float(len(hits & stop))
        if low and lang in _LETTERS:
            score += 0.5 * sum(letter in low for letter in _LETTERS[lang])
        if score:
            result[lang] = score
    return result


def detect(text: str, context: str | None = None) -> str:
    """ISO 639-1 code of the language of ``text`` (fr, en, de, es, it, nl), or ``und``.

    ``context``: the language of the message's context (its source's dominant one). It wins unless another
    language holds at least :data:`STRONG` points and :data:`RATIO` times its score (module docstring);
    ``None`` or ``und``: no context.
    """
    if not text:
        return UNDETERMINED
    found = scores(text)
    ranked = sorted(found.items(), key=lambda kv: kv[1], reverse=True)
    if not ranked or ranked[0][1] < 1.0:
        return UNDETERMINED
    best = ranked[0][1]
    if context is not None and context in _SETS and (best < STRONG or best < RATIO * found.get(context, 0.0)):
        return context
    if len(ranked) > 1 and best < RATIO * ranked[1][1]:
        return UNDETERMINED
    return ranked[0][0]


def dominant(langs: Counter[str]) -> str:
    """The most frequent told language of ``langs`` (counts per code; ties: the first code in alphabetical
    order), or ``und`` when none was told: the context :func:`detect` reads."""
    told = sorted((-n, lang) for lang, n in langs.items() if lang in _SETS and n > 0)
    return told[0][1] if told else UNDETERMINED


def other_language(text: str, lang: str, ratio: float = CLEAR_RATIO) -> str | None:
    """The language other than ``lang`` that ``text`` is clearly written in, or None (module docstring).

    Clearly: that language holds at least :data:`CLEAR` points, more than ``lang``'s and ``ratio`` times them
    (:data:`CLEAR_RATIO`; at :data:`MIXED_RATIO`, more than ``lang``'s: written at least as much in it).
    """
    found = scores(text)
    points, best = max(((v, k) for k, v in found.items() if k != lang), default=(0.0, ""))
    own = found.get(lang, 0.0)
    return best if points >= CLEAR and points >= ratio * own and points > own else None


def clue_pattern(lang: str, ratio: float = CLEAR_RATIO) -> str:
    """A regular expression (Python's and RE2's syntax) that matches every text :func:`other_language` finds
    written in another language than ``lang``, once lower-cased with typographic apostrophes straight.

    For a store to find the candidates quickly (in SQL, over every segment) and score only them. Of the points
    of the other language, ``s`` come from words ``lang`` lists too, which score as much for ``lang``, and ``u``
    from its *clues*, its other listed words and its letters: ``s + u >= CLEAR`` and ``s + u >= CLEAR_RATIO * s``
    give ``u >= clue_points(ratio)`` (and ``u > 0`` at :data:`MIXED_RATIO`, where the points must exceed ``lang``'s). The pattern asks for one letter of another language, or for that many clue words of any
    other language, each bounded as the scores find it: after a character no listed word holds (or an
    apostrophe), before one that is no letter of a listed word (nor an apostrophe, when the word holds none; an
    elided head such as ``l'`` needs nothing after it). It reads the whole text, the scores its head.
    """
    own = _SETS[lang]
    clues = {word for other, words in _SETS.items() if other != lang for word in words - own}
    alphabet = "".join(sorted(set("".join(w for words in _SETS.values() for w in words)) - {"'"}))
    edge = f"[^{alphabet}]"
    elided = {w for w in clues if w.endswith("'")}
    inner = {w for w in clues if "'" in w} - elided
    kinds = [
        (clues - inner - elided, f"(?:[^{alphabet}']|$)"),  # a word without an apostrophe never precedes one
        (inner, f"(?:{edge}|$)"),
        (elided, ""),  # l'hôpital
    ]
    alternatives = ["(?:" + "|".join(sorted(ws, key=lambda w: (-len(w), w))) + ")" + end for ws, end in kinds if ws]
    word = "(?:" + "|".join(alternatives) + ")"
    more = f"(?:(?:.*{edge})?{word})" * max(0, math.ceil(clue_points(ratio)) - 1)
    letters = "".join(sorted({ch for other, chars in _LETTERS.items() if other != lang for ch in chars}))
    return f"(?s)[{letters}]|(?:^|{edge}){word}{more}"
