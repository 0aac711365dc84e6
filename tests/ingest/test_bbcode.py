"""BBCode to plain text: quotes set apart, phpBB's stored forms, hostile and malformed input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chrysalide.ingest.bbcode import IMAGE, to_plain


@pytest.mark.parametrize(
    ("source", "author"),
    [
        ('[quote="Bob Smith"]old words[/quote]new words', "Bob Smith"),
        ("[quote=Bob]old words[/quote]new words", "Bob"),
        ("[quote=&quot;Bob&quot;:3kd8f2j1]old words[/quote:3kd8f2j1]new words", "Bob"),
        ('[quote="Bob" post_id=123 time=1500000000 user_id=7]old words[/quote]new words', "Bob"),
        ("[QUOTE=Bob]old words[/QUOTE]new words", "Bob"),
    ],
)
def test_quote_forms_go_to_quoted_text(source: str, author: str) -> None:
    parsed = to_plain(source)
    assert parsed.text == "new words"
    assert parsed.quoted_text == "old words"
    assert parsed.quoted_authors == [author]


def test_anonymous_quote_and_post_id() -> None:
    parsed = to_plain('[quote]a[/quote]b[quote="X" post_id=9]c[/quote]')
    assert parsed.text == "b"
    assert parsed.quoted_text == "a\n\nc"
    assert parsed.quoted_authors == ["X"]
    assert parsed.quoted_post_ids == ["9"]


def test_nested_quotes_all_quoted_inner_first() -> None:
    parsed = to_plain("[quote=A][quote=B]inner[/quote]outer[/quote]mine")
    assert parsed.text == "mine"
    assert parsed.quoted_text == "inner\n\nouter"
    assert parsed.quoted_authors == ["A", "B"]


def test_quote_name_with_link_and_newline() -> None:
    parsed = to_plain('[quote="( [url]http://a.de/x[/url] )\n - KV"]body[/quote]rest')
    assert parsed.text == "rest"
    assert parsed.quoted_authors == ["( http://a.de/x )\n - KV"]


def test_links_images_and_formatting() -> None:
    src = "[b]bold[/b] [i]it[/i] [u]u[/u] [size=150]big[/size] [color=red]red[/color] "
    src += "[url=http://x.org]label[/url] [url]http://y.org[/url] [url=http://z.org][/url] [img]http://i/p.png[/img]"
    assert to_plain(src).text == f"bold it u big red label http://y.org http://z.org {IMAGE}"


def test_lists_and_code_keep_lines() -> None:
    assert to_plain("intro[list][*]one[*]two[/list]after").text == "intro\n- one\n- two\nafter"
    stored = "[list:u1]\n[*:u1]a[/*:m:u1]\n[*:u1]b[/*:m:u1][/list:u:u1]"
    assert to_plain(stored, uid="u1").text == "- a\n- b"
    assert to_plain("see [code]x = [b]1[/b][/code] done").text == "see\nx = [b]1[/b]\ndone"


def test_bbcode_uid_suffixes_without_uid() -> None:
    assert to_plain("[b:3kd8f2j1]x[/b:3kd8f2j1] [size=150:3kd8f2j1]y[/size:3kd8f2j1]").text == "x y"
    # A port number is not a uid.
    assert to_plain("[url=http://h:8080/p]port[/url]").text == "port"


def test_smilies_magic_links_and_entities() -> None:
    smiley = '<!-- s:) --><img src="{SMILIES_PATH}/icon_smile.gif" alt=":)" title="Smile" /><!-- s:) -->'
    magic = '<!-- m --><a class="postlink" href="http://ex.org/a?b=1&amp;c=2">http://ex.org/...</a><!-- m -->'
    email = '<!-- e --><a href="mailto:a@b.org">a@b.org</a><!-- e -->'
    parsed = to_plain(f"hi {smiley} {magic} {email} &quot;q&quot; &amp; &#39;s&#39; &lt;b&gt;<br />next")
    assert parsed.text == "hi :) http://ex.org/a?b=1&c=2 a@b.org \"q\" & 's' <b>\nnext"


def test_user_typed_script_is_kept_as_inert_text() -> None:
    # phpBB stores a typed '<' as '&lt;': the characters are the member's words, escaping is the output's job.
    assert to_plain("&lt;script&gt;alert(1)&lt;/script&gt; ok").text == "<script>alert(1)</script> ok"
    # Raw HTML tags in a stored body are markup: removed, their content kept.
    assert to_plain("<span style='x'>kept</span> <script>words</script>").text == "kept words"


def test_s9e_xml_of_phpbb32() -> None:
    xml = (
        '<r><QUOTE author="Bob" post_id="5"><s>[quote=Bob post_id=5 time=1 user_id=2]</s>old'
        "<e>[/quote]</e></QUOTE>new &lt;b&gt;<br/>\nline <E>:)</E> "
        '<URL url="http://x.org"><s>[url=http://x.org]</s>lab<e>[/url]</e></URL></r>'
    )
    parsed = to_plain(xml)
    assert parsed.text == "new <b>\nline :) lab"
    assert parsed.quoted_text == "old"
    assert parsed.quoted_post_ids == ["5"]
    assert to_plain("<t>plain &amp; simple</t>").text == "plain & simple"


def test_unknown_and_malformed_tags_keep_words() -> None:
    assert to_plain("a [Q] b [halbwegs] c [/nope]").text == "a [Q] b [halbwegs] c [/nope]"
    assert to_plain("[b]never closed").text == "never closed"
    assert to_plain("stray[/b] close").text == "stray close"
    assert to_plain("[quote]never closed").text == "never closed"
    assert to_plain("[code]unclosed code [quote]q[/quote] after").text == "unclosed code\nafter"
    assert to_plain('[quote="unterminated]x').text == '[quote="unterminated]x'
    assert to_plain("[attachment=0]<!-- ia0 -->a.png<!-- ia0 -->[/attachment]").text == "[attachment: a.png]"


def test_empty_and_none() -> None:
    assert to_plain("").text == ""
    assert to_plain(None).quoted_text is None


def test_huge_hostile_input_is_fast() -> None:
    body = '[quote="' * 20000 + "[b]" * 20000 + "<a " * 20000 + "x"
    assert to_plain(body).text.endswith("x")


_markup = st.sampled_from(["[b]", "[/b]", "[i]", "[/i]", "[url=http://a]", "[/url]", "[*]", "[list]", "[/list]"])
_lower = st.text(alphabet="abcdefghijklm ", min_size=1, max_size=30).filter(str.strip)
_upper = st.text(alphabet="NOPQRSTUVWXYZ \n", max_size=30)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_never_crashes(body: str) -> None:
    parsed = to_plain(body)
    assert isinstance(parsed.text, str)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=20), _markup, st.just("[quote]"), st.just("[/quote]")), max_size=30))
def test_never_crashes_on_tag_soup(parts: list[str]) -> None:
    to_plain("".join(parts))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_lower, _markup), min_size=1, max_size=8), _upper, st.sampled_from(["", "=Bob", '="A B"']))
def test_quote_body_never_leaks_into_text(quoted: list[str], after: str, attribution: str) -> None:
    parsed = to_plain(f"[quote{attribution}]{''.join(quoted)}[/quote]{after}")
    assert not set(parsed.text) & set("abcdefghijklm")
    assert "[quote" not in parsed.text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_characters="[]<>&", blacklist_categories=("Cs",)), max_size=200))
def test_idempotent_on_plain_text(text: str) -> None:
    once = to_plain(text).text
    assert to_plain(once).text == once
