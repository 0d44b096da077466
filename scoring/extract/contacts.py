"""Contact channels and handles: messenger apps, links, e-mail addresses and phone numbers.

Works on the cleaned view (NFKC, case-folded, invisible characters removed), so full-width and
"fancy font" handles are found; spaced-out app names ("t e l e g r a m") are matched with optional
separators between letters.
"""

from __future__ import annotations

import re
import traceback
from functools import lru_cache
from typing import NamedTuple

import phonenumbers

from scoring.extract.figures import Figures, matches_from


class Contact(NamedTuple):
    """A contact channel found in the text."""

    channel: str  # telegram, whatsapp, line, wechat, viber, zalo, qq, kakaotalk, email, phone, ...
    handle: str  # normalised handle ("" when only the app is named)
    start: int  # span in the cleaned text
    end: int
    country: str = ""  # for phone numbers: ISO region of the number


def _spaced(word: str) -> str:
    """A regex for `word` that tolerates separators between its letters."""
    return r"[\s.\-_*·•|/\\]{0,3}".join(re.escape(c) for c in word)


# Names of messaging apps, in Latin script (spaced-out variants allowed) and other scripts.
_APP_NAMES: dict[str, list[str]] = {
    "telegram": [_spaced("telegram"), _spaced("telegrame"), r"\btele\b", r"\btg\b", "телеграм\\w*",
                 r"\bтг\b", "텔레그램", "텔레", "飞机", "纸飞机", "飛機", "紙飛機", "电报", "電報",
                 "เทเลแกรม", "တယ်လီဂရမ်", "តេឡេក្រាម", "टेलीग्राम"],
    "whatsapp": [_spaced("whatsapp"), r"whats\s*app", r"\bwa\b(?=\s*[:+0-9])", "ватсап\\w*",
                 "вацап\\w*", "واتساب", "व्हाट्सएप", "व्हाट्सऐप", "왓츠앱", "วอทส์แอป"],
    "line": [r"\bline\s*(?:id|@|:)", r"\bline\.me\b", r"\bไลน์", r"แอดไลน์", r"\bid\s*line\b"],
    "wechat": [_spaced("wechat"), r"\bweixin\b", r"\bvx\b", r"\bv信", "微信", "微訊", r"\bwx\b"],
    "viber": [_spaced("viber"), "ဗိုင်ဘာ", "вайбер"],
    "zalo": [_spaced("zalo")],
    "qq": [r"\bqq\b"],
    "kakaotalk": [r"kakao\s*talk", r"\bkakao\b", "카톡", "카카오톡", "오픈채팅"],
    "signal": [r"\bsignal\s*(?:app|:)"],
    "imo": [r"\bimo\b(?=\s*[:+0-9])"],
}
_APP_RE = re.compile(
    "|".join(f"(?P<{app}>{'|'.join(parts)})" for app, parts in _APP_NAMES.items())
)
_LINKS = re.compile(
    r"(?:https?://)?(?:t\.me|telegram\.me)/(?P<telegram>[a-z0-9_+]{3,})"
    r"|(?:https?://)?(?:wa\.me|api\.whatsapp\.com/send\?phone=)/?(?P<whatsapp>\+?\d{6,15})"
    r"|(?:https?://)?line\.me/(?:ti/p/|r/ti/p/)?(?P<line>[~@a-z0-9_.\-]{3,})"
)
# Patterns open with their first character (not a lookahead or lookbehind) so the regex engine
# can skip to it quickly; lookbehinds after it check what stands before.
_AT_HANDLE = re.compile(
    r"@(?<![\w.]@)\s?(?P<handle>[a-z](?:[a-z0-9]|_\s?){1,31})(?![\w.]*\.[a-z]{2,}\b)"
)
# An e-mail address is read outwards from its "@": scanning for the local part everywhere would
# try up to 64 characters at every position of the text.
_EMAIL_LOCAL = re.compile(r"[a-z0-9._%+\-]{1,64}$")
_EMAIL_DOMAIN = re.compile(r"[a-z0-9.\-]{1,253}\.[a-z]{2,24}")
# A phone-like figure, not inside a word: "(?<!\w)\+?\d[\d \-().]{6,18}\d(?!\w)", opened
# with the class of its first character; the lookbehinds check the character before the figure
# and whether it opened with "+".
_PHONE_CANDIDATE = re.compile(
    r"[+\d](?<!\w[+\d])(?:(?<=\+)\d|(?<=\d))[\d \-().]{6,18}\d(?!\w)"
)
# Words that say a number is a phone number, in the supported languages.
_PHONE_CUE = re.compile(
    r"(?:tel|phone|call|mobile|cell|contact|whats\s*app|wa|viber|zalo|line|imo|hp|no|sđt|đt|"
    r"liên hệ|gọi|โทร|ติดต่อ|电话|電話|手机|手機|联系|聯繫|тел|номер|звон|전화|연락|simu|namba|"
    r"piga|fono|teléfono|telefone|cel|whatsapp|hubungi|telp|wa\.me|ဖုန်း|ဆက်သွယ်|ទូរស័ព្ទ|"
    r"फोन|फ़ोन|संपर्क|kontak|tawag)[^\d]{0,20}$"
)
# A handle or ID written after an app name: "telegram: hr_amy", "wechat id: abc123".
_AFTER_APP = re.compile(
    r"(?:\s*(?:id|number|no|số)?\s*[:：=]\s*@?\s?|\s+@\s?|\s*@)(?P<handle>[a-z](?:[a-z0-9.]|_\s?){1,31})"
)


# The character of the word that separates an ad's fields when they are analysed together
# (scoring.signals): a cue word in one field says nothing about a number in the next.
FIELD_BREAK = "\u01c2"


@lru_cache(maxsize=4096)
def _phone_country(number: str) -> str:
    """ISO region of an international number ("+8551..."), "" when it is not a possible one."""
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException as error:
        # phonenumbers keeps the exception it caught in a local of its own frame: a reference
        # cycle that, through the frames' callers, would keep a whole batch of ads and results
        # alive until the next full garbage collection. Clearing the frames breaks it.
        traceback.clear_frames(error.__traceback__)
        return ""
    if not phonenumbers.is_possible_number(parsed):
        return ""
    return phonenumbers.region_code_for_number(parsed) or ""


def handle_after(text: str, position: int, channel: str) -> str:
    """The handle written right after an app name ("telegram: hr_amy", "line id = abc"), or ""
    (apps that go by phone number have no handle of their own)."""
    if channel in ("whatsapp", "viber", "imo"):
        return ""
    after = _AFTER_APP.match(text, position)
    if not after or after.group("handle").startswith(("http", "www")):
        return ""
    return after.group("handle").replace(" ", "").rstrip("._")


def _emails(text: str) -> list[tuple[int, int]]:
    """Spans of e-mail addresses."""
    spans: list[tuple[int, int]] = []
    done = 0
    at = text.find("@")
    while at != -1:
        local = _EMAIL_LOCAL.search(text, max(done, at - 64), at)
        domain = _EMAIL_DOMAIN.match(text, at + 1) if local else None
        if local and domain:
            spans.append((local.start(), domain.end()))
            done = domain.end()
            at = text.find("@", done)
        else:
            at = text.find("@", at + 1)
    return spans


def find_contacts(text: str, with_apps: bool = True,
                  figures: Figures | None = None) -> list[Contact]:
    """All contacts in a cleaned (lower-cased) text, with their spans in that text.

    `with_apps=False` skips bare app names (the scorer finds those with its phrase automaton)
    and keeps links, e-mail addresses, @handles and phone numbers. `figures`: the text's figure
    positions (`find_figures`), when already known.
    """
    found: list[Contact] = []
    taken: list[tuple[int, int]] = []

    def overlaps(start: int, end: int) -> bool:
        return any(start < e and s < end for s, e in taken)

    def add(contact: Contact) -> None:
        if not overlaps(contact.start, contact.end):
            found.append(contact)
            taken.append((contact.start, contact.end))

    has_at = "@" in text
    links = _LINKS.finditer(text) if ("t.me" in text or "wa.me" in text or ".me/" in text
                                      or "whatsapp.com" in text) else ()
    for match in links:
        channel = match.lastgroup or "link"
        add(Contact(channel, match.group(channel).lstrip("@~"), match.start(), match.end()))
    for start, end in _emails(text) if has_at else ():
        add(Contact("email", text[start:end], start, end))
    for match in _APP_RE.finditer(text) if with_apps else ():
        channel = match.lastgroup or "app"
        add(Contact(channel, handle_after(text, match.end(), channel), match.start(),
                    match.end()))
    for match in _AT_HANDLE.finditer(text) if has_at else ():
        handle = match.group("handle").replace(" ", "")
        if len(handle) >= 4:
            add(Contact("handle", handle, match.start(), match.end()))
    # A phone-like figure starts with "+" or with the first digit of a run (its lookbehind
    # refuses a digit after a letter or a digit).
    phones = (_PHONE_CANDIDATE.finditer(text) if figures is None
              else matches_from(_PHONE_CANDIDATE, text, figures.run_starts))
    for match in phones:
        raw = match.group()
        digits = re.sub(r"\D", "", raw)
        if not 7 <= len(digits) <= 15:
            continue
        cue_from = max(0, match.start() - 40, text.rfind(FIELD_BREAK, 0, match.start()) + 1)
        cued = bool(_PHONE_CUE.search(text, cue_from, match.start()))
        if not (raw.startswith("+") or cued or (raw.startswith("0") and len(digits) >= 9)):
            continue
        country = _phone_country("+" + digits)
        if not country and not raw.startswith("+") and len(digits) < 9:
            continue
        add(Contact("phone", "+" + digits if country else digits, match.start(), match.end(),
                    country))
    found.sort(key=lambda contact: contact.start)
    return found


MESSENGERS = frozenset(
    {"telegram", "whatsapp", "line", "wechat", "viber", "zalo", "qq", "kakaotalk", "signal",
     "imo", "handle"}
)
