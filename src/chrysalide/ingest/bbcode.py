"""phpBB post bodies (BBCode, stored HTML fragments, s9e XML) to plain text with quotes set apart.

What becomes of what:

- ``[quote]...[/quote]`` in any phpBB form (``[quote="name"]``, ``[quote=name]``, 3.0's
  ``[quote=&quot;name&quot;:uid]``, 3.2's ``[quote="name" post_id=1 time=2 user_id=3]``), nested or
  not, goes to ``quoted_text`` and never to ``text``; the names go to ``quoted_authors``, the
  ``post_id`` attributes to ``quoted_post_ids``;
- formatting tags (``b i u size color list * code h1`` ...) leave their content, block tags a line
  break; ``[url=X]label[/url]`` gives the label (X when there is none), ``[img]`` gives ``[image]``;
- only known tag names are markup: ``[Q]`` or ``[halbwegs]`` typed by a member stay as written; an
  unmatched open or close tag is dropped, its content kept, so malformed markup never loses words;
- bbcode_uid suffixes (``[b:3kd8f2j1]``, ``[/*:m]``, ``[/list:u]``) are ignored;
- stored HTML (smilies, magic links, attachment comments, ``<br />``, s9e XML of phpBB 3.2+) is
  resolved *before* entities are decoded. phpBB stores a ``<`` typed by a member as ``&lt;``, so
  after decoding the text may contain ``<script>`` as inert characters: they are the member's words
  and are kept; escaping belongs to whatever renders the text (dashboard, reports);
- a smiley becomes its code, the image's ``alt`` text (``:hug:``): the text layer reads it as one token,
  never as a word (``chrysalide.text.tokens.is_smiley``).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

IMAGE = "[image]"
#: What an inline attachment opens with: "[attachment: a.png]".
ATTACHMENT = "[attachment:"
MAX_DEPTH = 60

_INLINE = {
    "b", "i", "u", "s", "strike", "size", "color", "colour", "font", "highlight", "glow", "shadow",
    "sub", "sup", "tt", "spoiler", "hide", "abbr", "acronym", "em", "strong", "mark",
}  # fmt: skip
_BLOCK = {
    "center", "left", "right", "justify", "align", "indent", "h1", "h2", "h3", "h4", "h5", "h6",
    "pre", "table", "tr", "td", "th", "ul", "ol", "p", "div",
}  # fmt: skip
_LINKS = {"url", "link", "email", "youtube", "video", "flash", "media"}
_KNOWN = _INLINE | _BLOCK | _LINKS | {"quote", "img", "code", "php", "list", "*", "li", "attachment", "hr"}
#: The tag names above as a regex alternation (longest first), for leftover BBCode in other sources.
BBCODE_NAMES = "|".join(re.escape(n) for n in sorted(_KNOWN, key=len, reverse=True))

# One BBCode tag as phpBB writes or stores it: optional list suffix (:m :u :o), a value (quoted
# with ", ' or &quot;, or bare), 3.2 attributes, then an optional bbcode_uid suffix. Quantifiers
# are bounded so hostile input cannot make a match expensive.
_TAG = re.compile(
    r"""\[(?P<close>/)?(?P<name>\*|[a-zA-Z][a-zA-Z0-9]{0,15})(?::[muo](?=[:\]]))?
    (?:=(?:(?P<q>"|'|&quot;)(?P<qval>(?:(?!\[(?P=name)\b)[\s\S]){0,500}?)(?P=q)|(?P<val>[^\[\]\n"]{0,1000}?)))?
    (?P<attrs>(?:\s+[a-zA-Z_]{1,20}=(?:"[^"\]\n]{0,300}"|&quot;[^\]\n]{0,300}?&quot;|[^\s\]"]{0,300}))*)
    \s*(?::(?=[0-9]*[a-z])[a-z0-9]{5,10})?\]""",
    re.X,
)
_ATTR = re.compile(r'([a-zA-Z_]+)=(?:"([^"]*)"|&quot;(.*?)&quot;|(\S+))')

_S9E = re.compile(r"^\s*<([rt])(?:\s[^>]*)?>(.*)</\1>\s*$", re.S)
_SMILEY = re.compile(r'<img\b[^<>]*?\balt="([^"<>]*)"[^<>]*>')
_MAGIC = re.compile(r'<!-- ([mwel]) --><a\b[^<>]*?\bhref="([^"<>]*)"[^<>]*>.*?</a><!-- \1 -->', re.S)
_COMMENT = re.compile(r"<!--.{0,200}?-->", re.S)
_BR = re.compile(r"<br\s*/?>\n?", re.I)
HTML_NAMES = (
    "a|abbr|b|big|blockquote|br|center|cite|code|dd|del|div|dl|dt|em|embed|font|h[1-6]|hr|i|iframe|img|"
    "ins|li|object|ol|p|param|pre|q|s|script|small|span|strike|strong|style|sub|sup|table|tbody|td|th|"
    "thead|tr|tt|u|ul"
)
_HTML_TAG = re.compile(rf"</?(?:{HTML_NAMES})\b[^<>]{{0,1000}}>", re.I)
_XML_TAG = re.compile(r"<[^<>]{0,2000}>")


@dataclass(slots=True)
class ParsedPost:
    """A post body as plain text, with what it quotes set apart."""

    text: str
    quoted_text: str | None
    quoted_authors: list[str] = field(default_factory=list)
    quoted_post_ids: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Node:
    name: str
    value: str | None
    attrs: dict[str, str]
    raw: str
    children: list[_Node | str] = field(default_factory=list)


def _unwrap_html(body: str, uid: str | None) -> str:
    """Resolve stored HTML and s9e XML into BBCode with entities still encoded."""
    if uid:
        body = body.replace(f":{uid}]", "]")
    xml = _S9E.match(body) if body.lstrip().startswith("<") else None
    if xml:
        # s9e (phpBB 3.2+): markup is XML, the typed BBCode sits in <s>/<e>, user '<' is '&lt;'.
        return _XML_TAG.sub("", _BR.sub("\n", xml.group(2)))
    if "<" not in body:  # most posts: skip five regex passes
        return body
    body = _MAGIC.sub(lambda m: m.group(2).removeprefix("mailto:"), body)
    body = _SMILEY.sub(lambda m: m.group(1), body)
    body = _COMMENT.sub("", body)
    body = _BR.sub("\n", body)
    return _HTML_TAG.sub("", body)


def _tokens(body: str) -> list[str | _Node]:
    """Split into text and tags; a close tag is a node whose name starts with '/'."""
    out: list[str | _Node] = []
    pos = 0
    for m in _TAG.finditer(body):
        name = m.group("name").lower()
        if name not in _KNOWN:
            continue
        if m.start() > pos:
            out.append(body[pos : m.start()])
        if m.group("close"):
            out.append(_Node("/" + name, None, {}, m.group(0)))
        else:
            value = m.group("qval") if m.group("q") else m.group("val")
            attrs = {
                a.group(1).lower(): a.group(2) or a.group(3) or a.group(4) or ""
                for a in _ATTR.finditer(m.group("attrs") or "")
            }
            out.append(_Node(name, value, attrs, m.group(0)))
        pos = m.end()
    if pos < len(body):
        out.append(body[pos:])
    return out


def _tree(tokens: list[str | _Node]) -> _Node:
    """Nest tokens; unmatched close tags vanish, unclosed open tags are unwrapped at the end."""
    root = _Node("", None, {}, "")
    stack = [root]
    code_depth = 0
    # An unclosed [code] is no code block (as in phpBB): it must not swallow the closing tags after it.
    last_code_close = max(
        (i for i, t in enumerate(tokens) if isinstance(t, _Node) and t.name in ("/code", "/php")), default=-1
    )
    for index, tok in enumerate(tokens):
        top = stack[-1]
        if code_depth:
            # Inside [code] nothing is markup except the closing tag.
            if isinstance(tok, _Node) and tok.name == "/" + top.name and top.name in ("code", "php"):
                stack.pop()
                code_depth = 0
            else:
                top.children.append(tok if isinstance(tok, str) else tok.raw)
            continue
        if isinstance(tok, str):
            top.children.append(tok)
        elif tok.name.startswith("/"):
            name = "li" if tok.name == "/*" else tok.name[1:]
            depth = next((i for i in range(len(stack) - 1, 0, -1) if _matches(stack[i].name, name)), None)
            if depth is not None:
                del stack[depth:]
        else:
            if tok.name == "*":
                tok.name = "li"
                # A new item closes the previous one of the same list.
                depth = next((i for i in range(len(stack) - 1, 0, -1) if stack[i].name in ("li", "list")), None)
                if depth is not None and stack[depth].name == "li":
                    del stack[depth:]
            if len(stack) > MAX_DEPTH:
                continue  # deeper markup is dropped (its words stay) so rendering never recurses too deep
            if tok.name in ("code", "php"):
                if index > last_code_close:
                    continue
                code_depth = 1
            stack[-1].children.append(tok)
            if tok.name != "hr":
                stack.append(tok)
    for node in stack[1:]:
        node.name = "" if node.name in ("quote", "url", "link", "email", "img") else node.name
    return root


def _matches(open_name: str, close_name: str) -> bool:
    return open_name == close_name or (close_name in ("ul", "ol") and open_name == "list")


class _Renderer:
    def __init__(self) -> None:
        self.quotes: list[str] = []
        self.authors: list[str] = []
        self.post_ids: list[str] = []

    def render(self, node: _Node, out: list[str]) -> None:
        is_list = node.name in ("list", "ul", "ol")
        for child in node.children:
            if isinstance(child, str):
                if is_list and child.isspace():
                    continue
                if out and out[-1] == "\n":  # just after a block break of ours: no leading blanks
                    child = child.lstrip(" \t")
                out.append(html.unescape(child))
            else:
                self.element(child, out)

    def element(self, node: _Node, out: list[str]) -> None:
        name = node.name
        if name == "quote":
            self.quote(node)
            _break(out)
        elif name == "img":
            out.append(IMAGE)
        elif name in _LINKS:
            inner = self.inline(node)
            out.append(inner if inner.strip() else html.unescape(node.value or ""))
        elif name == "attachment":
            out.append(f"{ATTACHMENT} {self.inline(node).strip()}]")
        elif name == "hr":
            _break(out)
        elif name == "li":
            _break(out)
            out.append("- ")
            self.render(node, out)
            _break(out)
        elif name in _BLOCK or name in ("list", "code", "php"):
            _break(out)
            self.render(node, out)
            _break(out)
        else:
            self.render(node, out)

    def inline(self, node: _Node) -> str:
        out: list[str] = []
        self.render(node, out)
        return "".join(out)

    def quote(self, node: _Node) -> None:
        author = node.value if node.value is not None else node.attrs.get("author") or node.attrs.get("name")
        if author and author.strip():
            name = _clean(_plain_name(author))
            if name and name not in self.authors:
                self.authors.append(name)
        post_id = node.attrs.get("post_id", "").strip()
        if post_id.isdigit():
            self.post_ids.append(post_id)
        # Nested quotes are rendered first (they are older), then this quote's own words.
        own = _clean(self.inline(node))
        if own:
            self.quotes.append(own)


def _plain_name(raw: str) -> str:
    """A quote attribution as text: links and formatting inside the name resolved, no nested quote."""
    r = _Renderer()
    return r.inline(_tree(_tokens(raw)))


def _break(out: list[str]) -> None:
    if out and not out[-1].endswith("\n"):
        out.append("\n")


_TRAILING = re.compile(r"[ \t\f\v]+\n")
_BLANKS = re.compile(r"\n{3,}")


def _clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _TRAILING.sub("\n", text)
    return _BLANKS.sub("\n\n", text).strip()


def to_plain(bbcode: str | None, uid: str | None = None) -> ParsedPost:
    """Plain text of a phpBB post body; quotes go to ``quoted_text`` (see the module docstring)."""
    if not bbcode:
        return ParsedPost("", None, [])
    renderer = _Renderer()
    out: list[str] = []
    renderer.render(_tree(_tokens(_unwrap_html(bbcode, uid))), out)
    quoted = "\n\n".join(renderer.quotes) or None
    return ParsedPost(_clean("".join(out)), quoted, renderer.authors, renderer.post_ids)
