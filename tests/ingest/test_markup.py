"""Clean text at ingest: HTML to text, entities decoded, leftover BBCode removed, nothing else touched."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chrysalide.ingest import ingest
from chrysalide.ingest.markup import clean
from chrysalide.store import Store


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<p>I didn&#39;t know.&#160;Really</p><p></p><p>Second</p>", "I didn't know. Really\n\nSecond"),
        ('<p>See [b]<a href="http://x.org/a" target="_blank">http://x.org/a</a>[/b]</p>', "See http://x.org/a"),
        ('<a href="http://x.org/b">the guide</a>', "the guide"),
        ("RA\n\n[i:56cd75bf33]Imported from the old forum[/i:56cd75bf33]", "RA\n\nImported from the old forum"),
        ("my arts&amp;craft room &#x200B; ok", "my arts&craft room  ok"),
        # Reddit's API escapes the references of a post's Markdown once more (r/breastcancer: 163 "&amp;#x200B;").
        ("Hi all\n\n&amp;#x200B;\n\nUpdate&amp;nbsp;now, AT&amp;T; &amp;amp;", "Hi all\n\nUpdate now, AT&T; &"),
        ('<script>alert(1)</script>hi <img src=x alt=":)">', "hi :)"),
        ("line one<br>line two<br/>three", "line one\nline two\nthree"),
    ],
)
def test_markup_is_cleaned(raw, expected):
    assert clean(raw) == expected


@pytest.mark.parametrize(
    "text",
    [
        "I take <5 mg and a<b, A&E, [removed] [gif] [Anm: sic]",
        "[quote=Bob]je suis fatiguée[/quote] Tu devrais voir ton endocrinologue",
        "TSH 2.5 & T4 < 12 pmol/l",
        "plain text with no markup at all",
    ],
)
def test_text_that_is_no_markup_is_left_as_it_is(text):
    assert clean(text) is text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Doctissimo's IVG export cut 15 posts at the ";" of "&amp;": "amp" became a word of theirs.
        ("Bonjour les filles, J'ai 20 ans &amp", "Bonjour les filles, J'ai 20 ans"),
        ("il me dit que oui,&amp", "il me dit que oui,"),
        ("un &quo", "un"),
        ("un &#x20 ", "un"),
        ("un &#", "un"),
        ("un &nbs", "un"),
        ("a &#39; b &amp", "a ' b"),
        ("a &am&amp", "a"),
    ],
)
def test_a_reference_cut_off_at_the_end_goes(raw, expected):
    assert clean(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("une ampoule &amp; une lampe", "une ampoule & une lampe"),
        ("&amp; amp ampoule", "& amp ampoule"),
        ("Q&A", "Q&A"),
        ("AT&T", "AT&T"),
        ("R&D &n", "R&D &n"),
        ("x &amp y", "x &amp y"),
    ],
)
def test_letters_of_a_reference_elsewhere_stay(raw, expected):
    assert clean(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Doctissimo's IVG export has zero-width spaces inside tags ("<\u200bbr>", "<d\u200biv>").
        ("a<\u200bbr>b", "a\nb"),
        ("<div>etc....</div><div><br></div><d\u200biv>Merci</div>", "etc....\n\nMerci"),
        ("Merci<div\u200b>Vendredi</div><b\u200br>", "Merci\nVendredi"),
        # ... and Word's XML declarations, and a tag the export cut off at the end
        ("Bonjour, <?xml:namespace prefix = o /?>Je viens", "Bonjour, Je viens"),
        ('aider moi !!! <img src="http://x.fr/ico\u200bnes/frown.gif" alt="mdss', "aider moi !!!"),
        # HTML an author pasted into a Reddit post, escaped by Reddit's API
        (
            "Study.\n\n&lt;h2&gt;&lt;strong&gt;Fruits&lt;/strong&gt;&lt;/h2&gt;\n\nPrevious",
            "Study.\n\nFruits\n\nPrevious",
        ),
        ("&amp;lt;b&amp;gt;bold&amp;lt;/b&amp;gt; &lt;3", "bold <3"),
    ],
)
def test_tags_hidden_by_invisible_characters_escapes_or_a_cut_go(raw, expected):
    assert clean(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("I sleep <a few hours", "I sleep <a few hours"),
        ("then a<b", "then a<b"),
        ("x <\u200b y > z", "x <\u200b y > z"),
        ("<\u200bnope>", "<\u200bnope>"),
        ("&lt;5 mg &amp; &lt;3", "<5 mg & <3"),
        ("1 &lt; 2 &gt; 0", "1 < 2 > 0"),
    ],
)
def test_what_is_no_tag_stays_after_invisibles_and_escapes(raw, expected):
    assert clean(raw) == expected


def test_counts_one_per_message_and_kind():
    counts: Counter[str] = Counter()
    for text in ("<p>a</p>", "b &amp; c", "[b]d[/b] &#39;", "plain", "e &#39; &amp", "f &amp", "<p>g &lt;b&gt;</p>"):
        clean(text, counts)
    assert counts == {"html": 2, "entities": 5, "bbcode": 1}


@given(st.text(max_size=60))
def test_cleaning_never_fails_and_is_stable(text):
    once = clean(text)
    assert isinstance(once, str)
    assert clean(once) == clean(clean(once))


def test_the_source_form_is_kept_scrubbed_only_for_cleaned_messages(tmp_path):
    path = tmp_path / "f.jsonl"
    path.write_text(
        '{"message_id": "1", "author": "karen2727", "text": "<p>Hi all</p>"}\n'
        '{"message_id": "2", "author": "bob_77", "text": "<p>thanks karen2727, I didn&#39;t know</p>"}\n'
        '{"message_id": "3", "author": "bob_77", "text": "plain words"}\n',
        encoding="utf-8",
    )
    with Store(tmp_path / "db.duckdb") as store:
        report = ingest(store, path)
        rows = dict(store.con.execute("SELECT native_id, text FROM messages").fetchall())
        sources = dict(
            store.con.execute(
                "SELECT m.native_id, s.source_text FROM message_sources s JOIN messages m USING (message_id)"
            ).fetchall()
        )
    assert report.cleaned == {"html": 2, "entities": 1}
    assert rows["1"] == "Hi all" and rows["2"].startswith("thanks M-") and rows["2"].endswith(", I didn't know")
    assert set(sources) == {"1", "2"}
    assert sources["2"].startswith("<p>thanks M-") and "karen2727" not in sources["2"]
