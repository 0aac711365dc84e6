"""normalize: NFC, apostrophes, placeholders, whitespace; never crashes on hostile input."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chrysalide.text import normalize
from chrysalide.text.normalize import PLACEHOLDERS, drop_references


def test_placeholders_and_apostrophes():
    text = "Voir https://example.org/a?b=1. Écrivez à a.b@example.fr, l’hôpital : TSH 4,5 à 75µg le 12/03/2021"
    assert normalize(text) == ("Voir _url_. Écrivez à _email_, l'hôpital : TSH _num_ à _num_ µg le _num_")


def test_names_with_digits_are_kept():
    assert normalize("T4 libre, T3, B12, covid19 et 2 comprimés") == "T4 libre, T3, B12, covid19 et _num_ comprimés"


def test_ordinals_are_one_number():
    text = "on the 20th, 2nd and 3rd; le 1er et le 3ème, 4thly, 2e5, 5mg"
    assert normalize(text) == "on the _num_, _num_ and _num_; le _num_ et le _num_, _num_ thly, _num_ e5, _num_ mg"


def test_whitespace_collapsed_and_nfc():
    decomposed = unicodedata.normalize("NFD", "thyroïde\n\n\t  opérée ")
    assert normalize(decomposed) == "thyroïde opérée"
    assert normalize("") == ""


def test_www_url():
    assert normalize("sur www.doctissimo.fr/forum !") == "sur _url_ !"


def test_huge_hostile_input_is_fast_and_safe():
    hostile = "<script>alert(1)</script>" + "a" * 200_000 + "@" + "b." * 50_000 + " http://" + "x" * 100_000
    out = normalize(hostile)
    assert "_url_" in out


@given(st.text(max_size=300))
def test_idempotent_and_single_spaced(text):
    once = normalize(text)
    assert normalize(once) == once
    assert "  " not in once and once == once.strip()


def test_scrub_marks_are_never_terms():
    """Regression: "profile-url" of the scrubber's "[profile-url]" was a lexical class's top term (2,882 chi2
    in r/covidlonghaulers), "email", "phone", "user" and "image" drew counts from the marks.

    Every mark is made by the code that writes it (the scrubber, BBCode rendering); the words left are
    those of the sentence around it, read off by hand.
    """
    from chrysalide.ingest.bbcode import to_plain
    from chrysalide.privacy.contacts import MARKS
    from chrysalide.privacy.scrubber import NameScrubber
    from chrysalide.text import analyze

    scrubbed = NameScrubber([("karen2727", "M-00000000a1")]).scrub(
        "Thanks u/someone and @other! My page https://www.facebook.com/anne.dupont, my blog"
        " https://karen2727.example.org, mail anne@example.org, call 06 12 34 56 78."
    )
    rendered = to_plain("Look [img]http://x.org/a.png[/img] and [attachment=0]scan.pdf[/attachment]").text
    written = set(MARKS) | {"[image]", "[attachment:"}
    assert all(mark in scrubbed + rendered for mark in written)  # each mark is tested as its writer makes it
    assert analyze(scrubbed, "en").full_words == ["thanks", "page", "blog", "mail", "call"]
    assert analyze(rendered, "en").full_words == ["look", "scan", "pdf"]
    assert analyze(scrubbed, "en").tokens.count("_member_") == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("see [profile-url].", "see _url_."),
        ("[**Blog**]([profile-url])", "[**Blog**](_url_)"),
        ("mail [email] or [phone]", "mail _email_ or _num_"),
        ("thanks u/[user], /u/[user] and @[user]:", "thanks _member_, _member_ and _member_:"),
        # A Reddit profile's own subreddit names its user: a reference to a member, whatever its name.
        ("on u_[user] and r/u_M-0123456789 and u_Some_Body", "on _member_ and _member_ and _member_"),
        ("[image] [attachment: a.png]", "_url_ _url_ a.png]"),
    ],
)
def test_marks_become_placeholders(text, expected):
    assert normalize(text) == expected


def test_dropped_references_leave_the_words_around_them():
    """Regression: the IRaMuTeQ export wrote the marks, so that IRaMuTeQ counted "profile", "url", "user",
    "email" and a pseudonym's digits as words. Marks made by their writers, as above; expected words by hand."""
    from chrysalide.ingest.bbcode import to_plain
    from chrysalide.privacy.scrubber import NameScrubber

    scrubbed = NameScrubber([("karen2727", "M-00000000a1")]).scrub(
        "Thanks u/someone and @other! My page https://www.facebook.com/anne.dupont, my blog"
        " https://karen2727.example.org, mail anne@example.org, call 06 12 34 56 78."
    )
    rendered = to_plain("Look [img]http://x.org/a.png[/img] and [attachment=0]scan.pdf[/attachment]").text
    assert drop_references(scrubbed) == "Thanks and! My page my blog mail, call."
    assert drop_references(rendered) == "Look and scan.pdf]"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hi M-0123456789, welcome", "Hi, welcome"),
        ("ask u/Some_Body or @karen-b: r/u_[user]", "ask or:"),
        ("see https://example.org/a?b=1. Or www.nhs.uk!", "see. Or!"),
        ("write to a.b@example.fr", "write to"),
        ("foo[image]bar", "foo bar"),  # a mark between two words leaves them apart
        ("75µg, [phone] or 06 12", "75µg, or 06 12"),  # numbers are words written, a phone's mark is not
        ("nothing to drop_here", "nothing to drop_here"),
    ],
)
def test_drop_references(text, expected):
    assert drop_references(text) == expected


_WORDS = ["pacing", "fog", "Brain", "helps", "42", ",", ".", "!", "(", ")"]
_REFERENCES = ["[profile-url]", "[email]", "[phone]", "@[user]", "u/[user]", "[image]", "M-0123456789",
               "https://x.org/a", "www.nhs.uk", "a@b.org", "@karen", "u/bob_7"]  # fmt: skip


@given(st.lists(st.tuples(st.sampled_from(_WORDS + _REFERENCES), st.sampled_from(["", " ", "\n"])), max_size=12))
def test_dropping_references_keeps_every_term(pieces):
    """What the text step makes terms of is what a tool reading the dropped text gets, and no reference.

    References glued to another piece are left out of the second comparison: dropping one may uncover another.
    The text step reads "M-0123456789@karen" as ``_member_`` and the word "karen" (a mention does not start after
    a word character, and ``_member_`` ends with one), while dropping the pseudonym uncovers the mention "@karen"."""
    from chrysalide.text import analyze

    text = "".join(piece + sep for piece, sep in pieces)
    dropped = drop_references(text)
    assert not {"_url_", "_email_", "_member_"} & set(analyze(dropped, "en").tokens)
    last = len(pieces) - 1
    glued = any(
        piece in _REFERENCES and ((i > 0 and not pieces[i - 1][1]) or (i < last and not sep))
        for i, (piece, sep) in enumerate(pieces)
    )
    if not glued:
        assert analyze(dropped, "en").full_words == analyze(text, "en").full_words


@pytest.mark.parametrize(
    ("text", "normalized", "dropped", "words"),
    [
        ("Merci à mon ex-M-2a4afafecb !", "Merci à mon ex-_member_ !", "Merci à mon ex !", ["merci", "à", "mon", "ex"]),
        ("M-2a4afafecb-chan a raison", "_member_-chan a raison", "chan a raison", ["chan", "a", "raison"]),
        ("voir surhttps://bamp.fr/page demain", "voir sur_url_ demain", "voir sur demain", ["voir", "sur", "demain"]),
        ("[image]https://x.org/a.png ok", "_url__url_ ok", " ok", ["ok"]),
    ],
)
def test_references_glued_to_a_word(text, normalized, dropped, words):
    """Regression: a pseudonym after a hyphen ("ex-M-2a4afafecb", where the scrubber took the name of "ex-<name>")
    and a link glued to the word before it ("surhttps://bamp.fr/page") were no references: the IRaMuTeQ export kept
    them, and the text step made "ex-m-2a4afafecb" and "surhttps" terms. Both are placeholders now, dropped with the
    hyphen that joins them to a word. Expected values by hand (tokens: every word, lower-cased)."""
    from chrysalide.text import analyze

    assert normalize(text) == normalized
    assert drop_references(text) == dropped
    assert [t for t in analyze(text, "fr").tokens if t not in PLACEHOLDERS] == words
    assert analyze(dropped, "fr").tokens == words


def test_www_url_in_any_case():
    """Regression: "Www.helpforlongcovid.com" (r/covidlonghaulers) was no link, its words were terms."""
    assert normalize("see Www.helpforlongcovid.com!") == "see _url_!"
    assert normalize("or WWW.nhs.uk") == "or _url_"


def test_mailto_link_is_a_link():
    """Regression: a Markdown e-mail link, "[[email]](mailto:[email])" in r/BPD's calls for study participants,
    gave the term "mailto"; the target is a link like any other. Expected values by hand."""
    from chrysalide.text import analyze

    text = "email us at [[email]](mailto:[email]) or call"
    assert normalize(text) == "email us at [_email_](_url_) or call"
    assert analyze(text, "en").full_words == ["email", "call"]
    assert drop_references(text) == "email us at []() or call"
    assert normalize("Mailto:a@b.org, MAILTO:c@d.org") == "_url_, _url_"
