"""Contact details in text: e-mail addresses, phone numbers and URLs that identify a person.

Ingest replaces them in the stored text (with the URLs that hold a member's name), and every output scrubs
the text it shows again (docs/privacy.md, "Contact scrubbing").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

EMAIL_MARK = "[email]"
PHONE_MARK = "[phone]"
PROFILE_MARK = "[profile-url]"
#: What stands for the name of a person who is no member in an @handle or a u/handle ("@[user]", "u/[user]").
HANDLE_MARK = "[user]"
#: Every placeholder privacy writes in text: the text layer reads each as a placeholder, never as a word.
MARKS = (EMAIL_MARK, PHONE_MARK, PROFILE_MARK, HANDLE_MARK)

_EMAIL = re.compile(
    r"(?<![\w+-])\w[\w.+-]*"  # starts with a letter or digit: "x@y.fr...x@y.fr" holds two addresses
    r"(?:@|\s*[\[(]\s*(?:at|arobase)\s*[\])]\s*)"
    r"[\w-]+(?:(?:\.|\s*[\[(]\s*(?:dot|point)\s*[\])]\s*)[\w-]+)+",
    re.IGNORECASE,
)
# International (+33 6 12 34 56 78), national with a trunk 0 (06.12.34.56.78, 0612345678), and the
# North-American 555-123-4567 / (555) 123-4567. Dates (2017-03-12, 03/12/2017), doses and lab values
# do not match: they start with another digit, use '/', or have too few digits. Punctuation may follow a number
# ("call 06 12 34 56 78, then..."), but not a decimal's digits.
_PHONE = re.compile(
    r"(?<![\w+.,/-])(?:"
    r"\+\d{1,3}(?:[ .-]?\(0\))?(?:[ .-]?\d){7,12}"
    r"|0\d(?:[ .-]?\d){7,11}"
    r"|\(\d{3}\)[ .-]?\d{3}[ .-]\d{4}"
    r"|\d{3}[.-]\d{3}[.-]\d{4}"
    r")(?![\w/-]|[.,]\d)"  # a decimal goes on with a digit; a comma or full stop after it ends a sentence
)
_OBFUSCATED_AT = re.compile(r"[\[(]\s*(?:at|arobase)\s*[\])]", re.IGNORECASE)
# Seven digits close together: every phone number has them (a pre-check; RE2 reads it too: ingest.rescrub).
PHONE_CANDIDATE = r"\d(?:[ .\-()]{0,3}\d){6}"
_SEVEN_DIGITS = re.compile(PHONE_CANDIDATE)
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'\])]+", re.IGNORECASE)
_SOCIAL_HOSTS = (
    "facebook.com", "fb.com", "twitter.com", "x.com", "instagram.com", "linkedin.com", "tiktok.com",
    "youtube.com", "pinterest.com", "snapchat.com", "threads.net", "mastodon.social", "vk.com",
)  # fmt: skip
_PROFILE_PATH = re.compile(
    r"/(?:u|user|users|member|members|membre|membres|profile|profiles|profil|people|author|auteur|in)"
    r"(?:/|\.php|$|\?)|/@|/~|/r/u_|[?&](?:u|uid|user|username|user_id|name|email|mail)=",
    re.IGNORECASE,
)
_VIDEO_PATH = re.compile(r"/(?:watch|shorts|embed|playlist|live)\b", re.IGNORECASE)
_HOST = re.compile(r"^(?:https?://)?(?:([^/@]*)@)?([^/:?#]*)", re.IGNORECASE)


# A Markdown link whose text is one word: "[name](https://www.reddit.com/user/name/)" names the profile's person.
_MD_LINK = re.compile(r"\[([^\s\[\]]{1,64})\]\(((?:https?://|www\.)[^\s<>\"'\])]+)\)", re.IGNORECASE)
# What parts a URL's path and query are cut into, one of which a profile's user name is.
_URL_PARTS = re.compile(r"[/?&=@#]+")


def _is_personal_url(url: str) -> bool:
    """A URL that identifies a person: a social profile, a forum profile page, credentials in it."""
    host_match = _HOST.match(url)
    assert host_match is not None  # every part of the pattern is optional
    if host_match.group(1) is not None:
        return True  # user:password@host
    host = host_match.group(2).lower()
    rest = url[host_match.end() :]
    if (host == "youtube.com" or host.endswith(".youtube.com")) and _VIDEO_PATH.match(rest):
        return False  # a video, not a person's channel (/@name, /channel/, /c/, /user/ are)
    if any(host == h or host.endswith("." + h) for h in _SOCIAL_HOSTS) and rest.strip("/"):
        return True
    return bool(_PROFILE_PATH.search(rest))


def scrub_contacts(
    text: str | None, counts: Counter[str] | None = None, names_in: Callable[[str], bool] | None = None
) -> str | None:
    """Replace e-mail addresses, phone numbers and personal profile URLs with placeholders.

    ``names_in(url)`` tells a URL that holds a member's name (their blog, their page), replaced too;
    ``counts`` receives the number of each kind replaced (``urls``, ``emails``, ``phones``).
    """
    if not text:
        return text
    if "http" in text or "www." in text or "WWW." in text:
        found = 0

        def url(match: re.Match[str]) -> str:
            nonlocal found
            link = match.group(0)
            if _is_personal_url(link) or (names_in is not None and names_in(link)):
                found += 1
                return PROFILE_MARK
            return link

        def named(match: re.Match[str]) -> str:
            """A link to a person's profile whose text is the user name in its address (also one the names cannot
            read: a name of digits) becomes a mention of somebody, "@[user]"."""
            nonlocal found
            link = match.group(2)
            if names_in is not None and names_in(link):
                return match.group(0)  # a member's: the link text becomes their pseudonym, as their name anywhere
            name = match.group(1).casefold().removeprefix("/").removeprefix("u/").lstrip("@")
            if name in _URL_PARTS.split(link.casefold()) and _is_personal_url(link):
                found += 1
                return "@" + HANDLE_MARK
            return match.group(0)

        if "](" in text:
            text = _MD_LINK.sub(named, text)
        text = _URL.sub(url, text)
        if counts is not None and found:
            counts["urls"] += found
    if "@" in text or (("(" in text or "[" in text) and _OBFUSCATED_AT.search(text)):
        text, n = _EMAIL.subn(EMAIL_MARK, text)
        if counts is not None and n:
            counts["emails"] += n
    if _SEVEN_DIGITS.search(text):  # pre-check: every phone number has seven digits, close together
        text, n = _PHONE.subn(PHONE_MARK, text)
        if counts is not None and n:
            counts["phones"] += n
    return text
