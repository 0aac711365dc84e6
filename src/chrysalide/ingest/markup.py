"""The member's text out of the markup a source left in it: HTML, entities, leftover BBCode.

Scraped forums keep their HTML (patient.info: ``<p>`` paragraphs, ``didn&#39;t``, ``&#160;``), Reddit's
API escapes ``&``, ``<`` and ``>`` (``&amp;``, ``&#x200B;``), and text migrated between forum engines keeps
BBCode (``[b]``, patient.info's ``[i:9bc413c539]...[/i:9bc413c539]``). :func:`clean` gives the text as a
reader sees it:

- HTML elements of the known names (``ingest/bbcode.py``'s list) are removed; paragraphs, line breaks, list
  items and block elements become line breaks, a link its label (its address when it has none), an image
  its ``alt`` text; what ``<script>`` and ``<style>`` hold goes with them. Text that merely contains ``<``
  (``<5 mg``, ``a<b``) is left alone: only well-formed tags of those names are markup. A zero-width character
  inside a tag does not hide it (``<\u200bbr>``, ``<d\u200biv>``: 5 of Doctissimo's IVG posts), nor does an
  escape: a tag that decoding the references reveals (``&lt;h2&gt;``, HTML an author pasted into a Reddit post)
  goes too. Word's XML declarations (``<?xml:namespace prefix = o /?>``) go, and so does a tag cut off at the end
  of the text (``... <img src="http://x/frown.gif" alt="mdss``, as an export cut it);
- character references are decoded (``&#39;`` -> ``'``), the no-break space becomes a space and zero-width
  characters go; a reference escaped once more is decoded too (``&amp;#x200B;``, ``&amp;nbsp;``: Reddit's API
  escapes the ``&`` of the references its editor writes into a post's Markdown, which the site shows decoded);
- a reference cut off at the end of the text goes (``J'ai 20 ans &amp``, ``&quo``, ``&#x20``: 15 posts of
  Doctissimo's IVG export end at the ``;`` of ``&amp;``, and "amp" was a word of theirs): the start of a numeric
  reference, or of one of those escaping writes (``amp``, ``quot``, ``apos``, ``lt``, ``gt``, ``nbsp``) of two
  letters at least, so that ``Q&A`` or ``AT&T`` ending a text stay, and so does anything inside the text;
- BBCode formatting tags of the known names (``[b]``, ``[/i:uid]``, ``[url=...]``) are removed, their
  content kept; ``[quote]`` tags stay (what they enclose is someone else's words, and a source other than
  phpBB does not say whose), and so do bracketed words that are no tag (``[removed]``, ``[gif]``).

The loader keeps the text as the source gave it in ``messages.source_text`` when cleaning changed it. The
ingest step's component names :data:`VERSION` beside the importer's (``csv/1+markup/2``).
"""

from __future__ import annotations

import html
import re
from collections import Counter

from chrysalide.ingest.bbcode import BBCODE_NAMES, HTML_NAMES

# The version of the cleaning rules: bump it whenever a rule changes the text an import stores.
# 2: tags hidden by a zero-width character or an escape, Word's XML declarations, a tag cut off at the end.
VERSION = "markup/2"

_BLOCK = "p|div|br|li|ul|ol|tr|table|h[1-6]|blockquote|pre|hr|dd|dt|dl"
_DROPPED = re.compile(r"<(script|style)\b[^<>]{0,1000}>.*?</\1\s*>", re.I | re.S)
_IMG = re.compile(r"<img\b[^<>]{0,2000}?\balt=\"([^\"<>]*)\"[^<>]{0,2000}>", re.I)
_LINK = re.compile(r"<a\b[^<>]{0,2000}?\bhref=\"([^\"<>]*)\"[^<>]{0,2000}>(.*?)</a\s*>", re.I | re.S)
_BREAK = re.compile(rf"</?(?:{_BLOCK})\b[^<>]{{0,1000}}/?>", re.I)
_TAG = re.compile(rf"</?(?:{HTML_NAMES})\b[^<>]{{0,1000}}/?>", re.I)
_XML_DECLARATION = re.compile(r"<\?xml\b[^<>]{0,1000}\?>", re.I)
# A tag's name, a blank and an attribute (so "a<b" or "<a few days" ending a text stay), cut off by the end of
# the text; only the last characters are searched.
_CUT_TAG = re.compile(rf"<(?:{HTML_NAMES})\s+[\w:-]+=[^<>]{{0,1000}}\Z", re.I)
_CUT_TAG_WINDOW = 1100
_ZERO_WIDTH = "\u200b\u200c\u200d\ufeff"
_ANGLED = re.compile(r"<[^<>]{1,1000}>")
# "&amp;" escaping a reference: numeric, or a named one escaping chains produce (not "AT&amp;T;").
_ESCAPED_ENTITY = re.compile(r"&amp;(?=(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|nbsp|amp|lt|gt|quot|apos);)")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# References cut off at the end of a text, with the blanks after them (see the module docstring).
_CUT_ENTITY = re.compile(r"(?:&(?:#[0-9]{0,7}|#[xX][0-9a-fA-F]{0,6}|amp?|quot?|qu|apos?|ap|lt|gt|nbs?p?)\s*)+\Z")
_CUT_WINDOW = 64
# Formatting tags only: a leftover [quote] marks words that are not the member's, and stays to say so.
_FORMATTING = "|".join(n for n in BBCODE_NAMES.split("|") if n != "quote")
_BBCODE = re.compile(rf"\[/?(?:{_FORMATTING})(?::[muo])?(?:=[^\[\]\n]{{0,300}})?(?::[a-z0-9]{{5,10}})?\]", re.I)
_INVISIBLE = str.maketrans({"\u00a0": " ", "\u200b": None, "\u200c": None, "\u200d": None, "\ufeff": None})
_SPACES = re.compile(r"[ \t]+\n")
_BLANKS = re.compile(r"\n{3,}")


def _link(match: re.Match[str]) -> str:
    label = _TAG.sub("", match.group(2))
    return label if label.strip() else match.group(1)


def _unhide(match: re.Match[str]) -> str:
    """A tag without the zero-width characters inside it, when they hid one; else what matched."""
    angled = match.group(0)
    if not any(c in angled for c in _ZERO_WIDTH):
        return angled
    bare = angled.translate(_INVISIBLE)
    return bare if _TAG.fullmatch(bare) or _XML_DECLARATION.fullmatch(bare) else angled


def _cut_tag(text: str) -> re.Match[str] | None:
    return _CUT_TAG.search(text, max(0, len(text) - _CUT_TAG_WINDOW))


def _html(text: str) -> str | None:
    """``text`` without its HTML (see the module docstring), or None when it has none."""
    if "<" not in text:
        return None
    out = _ANGLED.sub(_unhide, text) if any(c in text for c in _ZERO_WIDTH) else text
    if not (_TAG.search(out) or _XML_DECLARATION.search(out) or _cut_tag(out)):
        return None
    out = _DROPPED.sub("", out)
    out = _LINK.sub(_link, out)
    out = _IMG.sub(lambda m: m.group(1), out)
    out = _BREAK.sub("\n", out)
    out = _XML_DECLARATION.sub("", _TAG.sub("", out))
    cut = _cut_tag(out)
    return out[: cut.start()] if cut else out


def clean(text: str, counts: Counter[str] | None = None) -> str:
    """``text`` without HTML, character references and leftover BBCode (see the module docstring).

    ``counts`` receives one ``html``, ``entities`` or ``bbcode`` per message where that kind was removed.
    Text with none of ``<``, ``&``, ``[`` is returned as it is, without any pattern run.
    """
    if not text or ("<" not in text and "&" not in text and "[" not in text):
        return text
    out = text
    stripped = _html(out)
    if stripped is not None:
        out = stripped
    if "[" in out and _BBCODE.search(out):
        out = _BBCODE.sub("", out)
        _count(counts, "bbcode")
    if "&" in out:
        cut = _cut_reference(out)
        if cut is not None:
            out = out[:cut]
        decode = _ENTITY.search(out) is not None
        if decode:
            out = html.unescape(_ESCAPED_ENTITY.sub("&", out))
            revealed = _html(out)
            if revealed is not None:
                out, stripped = revealed, revealed
        if decode or cut is not None:
            _count(counts, "entities")
    if stripped is not None:
        _count(counts, "html")
    if out is text:
        return text
    out = out.translate(_INVISIBLE).replace("\r\n", "\n")
    return _BLANKS.sub("\n\n", _SPACES.sub("\n", out)).strip()


def _cut_reference(text: str) -> int | None:
    """Where the references cut off at the end of ``text`` start, else None. Only the last characters are
    searched: the references are short, and the work stays the same on hostile text ("&am&am&am...x")."""
    end = len(text.rstrip())
    cut = _CUT_ENTITY.search(text, max(0, end - _CUT_WINDOW), end)
    return cut.start() if cut else None


def _count(counts: Counter[str] | None, kind: str) -> None:
    if counts is not None:
        counts[kind] += 1
