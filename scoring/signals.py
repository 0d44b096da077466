"""Signal detection: which catalogue signals an ad shows, each with evidence spans.

Phrase and place hits come from the matcher; channels, pay and employer signals from the
extractors. Every span indexes the original text of the field it was found in.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field

import ahocorasick_rs
import numpy as np

from scoring.ad import Ad
from scoring.catalog import load_catalog
from scoring.extract.contacts import (
    FIELD_BREAK,
    MESSENGERS,
    Contact,
    find_contacts,
    handle_after,
)
from scoring.extract.figures import Figures, find_figures
from scoring.extract.salary import Salary, band_for, find_salaries
from scoring.language import detect_language
from scoring.matcher import Hit, Matcher, Place, default_matcher
from scoring.normalize import PhraseView, View, clean, is_word_char, phrase_view
from scoring.spans import Evidence, SpanMap

MAX_EVIDENCE = 5
_FIELDS = ("title", "text", "employer", "location", "salary")
# Legal-entity forms that show an ad names a registered company. Forms in scripts with spaces
# must stand as whole words; the others are written without spaces around them. The plain word
# for "company" (Thai บริษัท, Khmer ក្រុមហ៊ុន, Burmese ကုမ္ပဏီ, Russian компания) is not a legal form:
# "a partner company", "the company" name nothing, and lures say it more often than fair ads.
_ENTITY_WORDS = (
    *(f"co{dot}{comma}{space}ltd" for dot in ("", ".") for comma in ("", ",")
      for space in ("", " ")),
    "company limited", "limited", "ltd", "inc", "llc", "plc", "gmbh", "corp", "corporation",
    "sdn bhd", "sdn. bhd", "pte ltd", "pte. ltd", "pt", "cv", "jsc", "tnhh", "cổ phần", "s.a.",
    "s.a.c", "s.a.s", "s.r.l", "s.l.", "ltda", "sac", "ооо", "оао", "зао", "пао",
)
_ENTITY_SCRIPT_WORDS = ("有限公司", "株式会社", "주식회사", "ឯ.ក", "လီမိတက်")
# Matched in cleaned text, so written as cleaning writes them (NFKC splits the Thai "ำ").
_ENTITY_FINDER = ahocorasick_rs.AhoCorasick(
    [unicodedata.normalize("NFKC", word) for word in (*_ENTITY_WORDS, *_ENTITY_SCRIPT_WORDS)],
    implementation=ahocorasick_rs.Implementation.DFA,
)
# A Thai company name: "บริษัท <name> จำกัด" ("จำกัด", limited, alone also means "few").
_THAI_LIMITED = unicodedata.normalize("NFKC", "จำกัด")
_THAI_COMPANY = re.compile(rf"บริษัท\s?[^\n]{{1,60}}?\s?{_THAI_LIMITED}")


def _names_legal_entity(text: str) -> bool:
    """Whether a cleaned text holds a legal-entity form ("Co., Ltd.", "Sdn Bhd", "有限公司")."""
    bounded = len(_ENTITY_WORDS)  # forms before this index must stand as whole words
    for index, start, end in _ENTITY_FINDER.find_matches_as_indexes(text, overlapping=True):
        if index >= bounded:
            return True
        if (start == 0 or not is_word_char(text[start - 1])) and (
            end == len(text) or not is_word_char(text[end])
        ):
            return True
    return _THAI_LIMITED in text and _THAI_COMPANY.search(text) is not None


_WEBSITE = re.compile(
    r"\b(?:www\.)?[a-z0-9\-]{2,63}\.(?:com|org|net|co|gov|edu|io|[a-z]{2})(?:\.[a-z]{2})?\b"
)


# A negation just before a risk phrase ("we never ask you to come on a tourist visa", "不收押金",
# "không thu phí") means the ad says the opposite. In scripts with spaces the negation may stand
# up to seven words (and 40 characters) before the phrase; without spaces, a few characters.
# Words that negate in every ad: English (mixed into ads everywhere) and words of scripts that
# belong to one language. Words that are ordinary words in another language count only in ads
# of their own language: "ni" and "si" are Tagalog particles and Swahili "is", "tak" is Hindi
# "until", "bila" is Malay "when", "hindi" names a language in English ads, "non" starts
# "non-refundable" in English.
_NEGATION_WORDS = (
    "no|not|never|don't|dont|do not|does not|doesn't|will not|won't|without|nor|zero|"
    "не|нет|без|никогда|ни|नहीं|नही|मत|बिना|कभी नहीं|안|않|없|절대|금지|never ever"
)
_MALAY_NEGATIONS = "tidak|tak|bukan|tanpa|jangan"  # Indonesian and Malay alike
_NEGATION_WORDS_BY_LANGUAGE = {
    "vi": "không|khong|chẳng|chưa|đừng",
    "id": _MALAY_NEGATIONS,
    "ms": _MALAY_NEGATIONS,
    "tl": "hindi|walang|huwag|wala",
    "sw": "hakuna|bila|si|usi",
    "es": "sin|nunca|jamás|ni",
    "fr": "non|jamais|sans|ni",
    "pt": "não|nao|nunca|sem|jamais",
}


def _negation_pattern(words: str) -> re.Pattern[str]:
    return re.compile(rf"(?:^|\s)(?:{words})(?:\s+\S+){{0,7}}\s*$")


_NEGATED_SPACED = _negation_pattern(_NEGATION_WORDS)
_NEGATED_SPACED_BY_LANGUAGE = {
    language: _negation_pattern(f"{_NEGATION_WORDS}|{words}")
    for language, words in _NEGATION_WORDS_BY_LANGUAGE.items()
}
_NEGATED_UNSPACED = re.compile(
    r"(?:不|没|沒|无|無|免|勿|别|別|非|ไม่|ห้าม|ບໍ່|ຫ້າມ|មិន|គ្មាន)\S{0,4}\s?$"
)
# Reassurances that start with a negation word but do not negate what follows.
_NOT_A_NEGATION = re.compile(
    r"(?:no|don't|dont|do not|không|tidak|walang|hakuna|не|no te|没|不用)\s+"
    r"(?:worry|worries|problem|problems|lo|lo lắng|khó|masalah|kailangang mag alala|shida|"
    r"волнуйтесь|беспокойтесь|preocupes|担心|擔心|问题|問題)\b"
)
# Risk signals whose phrases a preceding negation turns around.
_NEGATABLE_GROUPS = {"visa_route", "fees", "process", "requirements", "employer", "code_words",
                     "scam"}
# Exempt: signals whose phrases hold a negation themselves ("no experience", "don't tell
# anyone") or that no ad denies ("we are not an investment platform" is not written).
_NEGATION_EXEMPT = {"requirements.no_experience", "process.no_interview",
                    "process.secrecy_referral", "employer.fraud_sector"}
# Ends of sentences and lines: a negation does not reach across them.
_SENTENCE_END = re.compile(r"[.!?;]+(?=\s|$)|[。！？；\n]|\u104b|\u17d4|\u0964")


def _is_negated(text: str, start: int, floor: int = 0, language: str = "") -> bool:
    window = text[max(floor, start - 40):start]
    if not window:
        return False
    spaced = _NEGATED_SPACED_BY_LANGUAGE.get(language, _NEGATED_SPACED)
    # Most windows hold no negation: look for one before looking for a reassurance.
    if not (spaced.search(window) or _NEGATED_UNSPACED.search(window[-6:])):
        return False
    return not _NOT_A_NEGATION.search(window)


@dataclass
class Detection:
    """Everything the signal layer found in one ad."""

    evidence: dict[str, list[Evidence]] = field(default_factory=dict)
    strength: dict[str, float] = field(default_factory=dict)
    places: list[Place] = field(default_factory=list)
    contacts: list[tuple[str, Contact]] = field(default_factory=list)
    salaries: list[tuple[Salary, Evidence]] = field(default_factory=list)  # read only for _pay
    role_family: str = "default"
    destination_country: str = ""
    content_size: float = 0.0
    wording: str = ""  # phrase view of title and text, for the text model
    language: str = ""

    def add(self, signal_id: str, evidence: Evidence | None, strength: float = 1.0) -> None:
        """Record a signal; of overlapping spans ("processing fee", "processing fee of ₱4")
        only the longest is kept as its evidence."""
        spans = self.evidence.get(signal_id)
        if spans is None:
            spans = self.evidence[signal_id] = []
        if evidence:
            for k, old in enumerate(spans):
                if (old.start < evidence.end and evidence.start < old.end
                        and old.field == evidence.field):
                    if evidence.end - evidence.start > old.end - old.start:
                        spans[k] = evidence
                    break
            else:
                if len(spans) < MAX_EVIDENCE:
                    spans.append(evidence)
        # max(old, strength) without the call: this runs for every hit.
        old_strength = self.strength.get(signal_id, 0.0)
        self.strength[signal_id] = strength if strength > old_strength else old_strength


_DIGITS = "0123456789"


def _is_negated_hit(signal_id: str, text: str, start: int, floor: int = 0,
                    language: str = "") -> bool:
    """Whether the words before a hit (from `floor` on) turn it around."""
    if signal_id == "warning.awareness":
        return _is_denied(text, start, floor)
    if not _may_be_negated(signal_id):
        return False
    return _is_negated(text, start, floor, language)


# Signal id -> whether a negation or denial before its hits is looked for (asked per hit).
_NEGATION_CHECKED: dict[str, bool] = {}


def _may_be_negated(signal_id: str) -> bool:
    checked = _NEGATION_CHECKED.get(signal_id)
    if checked is None:
        checked = _NEGATION_CHECKED[signal_id] = signal_id == "warning.awareness" or (
            signal_id.split(".", 1)[0] in _NEGATABLE_GROUPS
            and signal_id not in _NEGATION_EXEMPT)
    return checked


# A denial right before a warning word ("not a scam", "hindi scam", "không phải lừa đảo").
_DENIAL = re.compile(
    r"(?:^|\s)(?:not|no|never|hindi|bukan|tidak|không phải|khong phai|chẳng phải|не|si|sio|no es|"
    r"नहीं|ไม่ใช่|ไม่ได้|မဟုတ်)(?:\s+(?:a|an|po|ang|the|một|là|ni|es|un|una))?\s*$"
    r"|(?:不是|並非|并非|绝非|絕非|아닙니다|아님)\s?$"
)


def _is_denied(text: str, start: int, floor: int = 0) -> bool:
    return bool(_DENIAL.search(text[max(floor, start - 24):start]))


# A denial right after a warning word, in languages that put the negation after the noun
# ("scam nahi hai", "धोखा नहीं है", "사기가 아닙니다", "လိမ်တာ မဟုတ်ပါ", "dolandırıcılık değil").
_DENIAL_AFTER = re.compile(
    r"\s(?:(?:hai|he|to)\s)?(?:nahi|nahin|nahi̇|nhi|nahī)(?![a-z])"
    r"|\s?(?:है\s)?(?:नहीं|नही|नहि)"
    r"|(?:이|가|은|는)?\s?(?:아닙|아니에|아니야|아님)"
    r"|\s?(?:တာ\s?)?မဟုတ်"
    r"|\s(?:değil|degil|নয়|না|होइन|होईन|නොවේ)(?!\w)"
)


def _is_denied_after(text: str, end: int) -> bool:
    return bool(_DENIAL_AFTER.match(text, end, end + 16))


# Code point (Basic Multilingual Plane) -> written with ideographs or syllable blocks.
_IS_WIDE = np.zeros(0x10000, dtype=bool)
for _low, _high in ((0x4E00, 0x9FFF), (0x3040, 0x30FF), (0xAC00, 0xD7AF)):
    _IS_WIDE[_low:_high + 1] = True


def _content_size(phrase_text: str) -> float:
    """Rough amount of language in a phrase text: letters, with ideographs counting more."""
    if phrase_text.isascii():
        return len(phrase_text) - phrase_text.count(" ") - sum(map(phrase_text.count, _DIGITS))
    # Other text: spaces and ASCII digits counted off the code points in one pass.
    codes = np.frombuffer(phrase_text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    letters = len(phrase_text) - int(np.count_nonzero((codes - 48 < 10) | (codes == 32)))
    wide = int(np.count_nonzero(_IS_WIDE.take(codes, mode="clip")))
    return letters + 2 * wide


# Fields are analysed as one text, joined by a word that no phrase or pattern holds, so that
# no match runs from one field into the next. Posters' own "ǂ" are turned into "ǀ" first.
_FIELD_BREAK_WORD = FIELD_BREAK * 3
_FIELD_BREAK = f"\n{_FIELD_BREAK_WORD}\n"


@dataclass
class _Fields:
    """The analysed fields of an ad laid end to end, with where each starts."""

    names: list[str]
    values: list[str]
    starts: list[int]  # start of each field in the joined original text


def _lay_out(ad: Ad) -> _Fields:
    names, values, starts = [], [], []
    at = 0
    for name in _FIELDS:
        value = ad.field_text(name)
        if not value.strip():
            continue
        names.append(name)
        values.append(value)
        starts.append(at)
        at += len(value) + len(_FIELD_BREAK)
    return _Fields(names, values, starts)


def _phrase_segments(phrase: str, count: int) -> list[tuple[int, int]]:
    """(start, end) of each field's part of the joined phrase text."""
    segments = []
    start = 0
    for _ in range(count - 1):
        at = phrase.find(_FIELD_BREAK_WORD, start)
        if at < 0:
            break
        segments.append((start, max(at - 1, start)))
        start = at + len(_FIELD_BREAK_WORD) + 1
    segments.append((start, len(phrase)))
    while len(segments) < count:
        segments.append((len(phrase), len(phrase)))
    return segments


def detect(ad: Ad, matcher: Matcher | None = None) -> Detection:
    """Run every detector over the text fields of the ad (analysed together in one pass)."""
    return detect_many([ad], matcher)[0]


def detect_many(ads: list[Ad], matcher: Matcher | None = None) -> list[Detection]:
    """`detect` for a batch of ads, stage by stage: each stage runs over the whole batch before
    the next, so that its large tables (CLD2's model, the phrase automaton, the phone metadata)
    stay in the processor's cache instead of evicting one another for every ad. On the scoring
    benchmark these stages took about a fifth less time than ad by ad."""
    matcher = matcher or default_matcher()
    found = [Detection(language=ad.language or detect_language(f"{ad.title}\n{ad.text}"[:4000]))
             for ad in ads]
    layouts = [_lay_out(ad) for ad in ads]
    work = [i for i, fields in enumerate(layouts) if fields.names]
    joined = [_FIELD_BREAK.join(v.replace(FIELD_BREAK, "\u01c0") for v in layouts[i].values)
              for i in work]
    views = [clean(text) for text in joined]
    pviews = [phrase_view(view) for view in views]
    hits = [matcher.find(pview.text, found[i].language,
                         matcher.regex_files(text, found[i].language))
            for i, text, pview in zip(work, joined, pviews, strict=True)]
    figures = [find_figures(view.text) for view in views]
    contacts = [find_contacts(view.text, with_apps=False, figures=ad_figures)
                for view, ad_figures in zip(views, figures, strict=True)]
    for i, (ad, fields) in enumerate(zip(ads, layouts, strict=True)):
        if not fields.names:
            _conclude(ad, found[i], [], "", lambda: None)
    for k, i in enumerate(work):
        _detect_prepared(ads[i], found[i], layouts[i], views[k], pviews[k], hits[k], contacts[k],
                         figures[k], matcher)
    return found


def _detect_prepared(ad: Ad, found: Detection, fields: _Fields, view: View, pview: PhraseView,
                     hits: list[Hit], contacts: list[Contact], figures: Figures | None,
                     matcher: Matcher) -> None:
    """The signals of one ad from its cleaned views, phrase hits and contacts."""
    phrase = pview.text
    segments = _phrase_segments(phrase, len(fields.names))
    segment_starts = [start for start, _ in segments]
    for name, (start, end) in zip(fields.names, segments, strict=True):
        if name in ("title", "text"):
            part = phrase[start:end]
            found.content_size += _content_size(part)
            found.wording = f"{found.wording} {part}" if found.wording else part
    sentences = _Sentences(pview)
    spans = SpanMap(pview, fields.names, fields.values, fields.starts,
                    [getattr(ad, name) for name in fields.names])
    place_hits: list[tuple[Place, Evidence]] = []
    roles: dict[str, tuple[int, str]] = {}
    evidence_of = found.evidence
    for kind, key, start, end in hits:
        field_index = bisect_right(segment_starts, start) - 1
        if field_index < 0:
            field_index = 0
        if kind == "role":
            name = fields.names[field_index]
            if name in ("title", "text") and name not in roles:
                roles[name] = (start, key)  # hits come in order: the first role
            continue
        if key == "warning.awareness" and _is_denied_after(phrase, end):
            key = "process.reassurance"  # "scam nahi hai", "사기 아닙니다": a denial reassures
        # A negation in the same field that survives cutting the window at the sentence start.
        elif kind == "signal" and _may_be_negated(key):
            floor = segment_starts[field_index]
            if (_is_negated_hit(key, phrase, start, floor, found.language)
                    and _is_negated_hit(key, phrase, start,
                                        max(floor, sentences.start(start)), found.language)):
                if key != "warning.awareness":
                    continue
                # "Not a scam", "hindi scam", "bukan penipuan": a denial is a reassurance.
                key = "process.reassurance"
        if kind == "app":
            app = key
            key = "channel.messenger_contact"
            c_start, c_end = pview.clean_span(start, end)
            handle = handle_after(view.text, c_end, app)
            if handle:
                found.contacts.append((fields.names[field_index],
                                       Contact(app, handle, c_start, c_end)))
        if kind == "place":
            place_hits.append((matcher.places[key], spans.from_phrase(start, end)))
            continue
        quoted = evidence_of.get(key)
        if quoted is not None and len(quoted) >= MAX_EVIDENCE:
            continue  # enough quotes for this signal; mapping more spans is wasted work
        found.add(key, spans.from_phrase(start, end))
    for contact in contacts:
        evidence = spans.from_clean(contact.start, contact.end)
        found.contacts.append((evidence.field, contact))
        if contact.channel in MESSENGERS:
            found.add("channel.messenger_contact", evidence)

    def read_salaries() -> None:
        for salary in find_salaries(view.text, found.language, figures):
            evidence = spans.from_clean(salary.start, salary.end)
            if evidence.field in ("text", "salary", "title"):
                found.salaries.append((salary, evidence))
    cleaned_text = ""
    if "text" in fields.names:
        breaks = _positions(view.text, _FIELD_BREAK_WORD)
        i = fields.names.index("text")
        begin = breaks[i - 1] + len(_FIELD_BREAK_WORD) if 0 < i <= len(breaks) else 0
        cleaned_text = view.text[begin:breaks[i] if i < len(breaks) else len(view.text)]
    found.role_family = (roles.get("title") or roles.get("text") or (0, "default"))[1]
    _conclude(ad, found, place_hits, cleaned_text, read_salaries)


class _Sentences:
    """Where sentences start in a phrase view, found only when first asked (negations are
    rare, so most ads never need it)."""

    def __init__(self, pview: PhraseView) -> None:
        self.pview = pview
        self.ends: list[int] | None = None

    def start(self, position: int) -> int:
        """Phrase position where the sentence holding `position` starts."""
        if self.ends is None:
            self.ends = [m.end() for m in _SENTENCE_END.finditer(self.pview.view.text)]
        # Sentence ends in cleaned-text positions; phrase_position keeps their order, so a
        # search with it as the key maps a few of them instead of all.
        to_phrase = self.pview.phrase_position
        k = bisect_right(self.ends, position, key=to_phrase) - 1
        return to_phrase(self.ends[k]) if k >= 0 else 0


def _positions(text: str, word: str) -> list[int]:
    found = []
    at = text.find(word)
    while at >= 0:
        found.append(at)
        at = text.find(word, at + 1)
    return found


def _conclude(ad: Ad, found: Detection, place_hits: list[tuple[Place, Evidence]],
              cleaned_text: str, read_salaries: Callable[[], None]) -> None:
    """Signals that depend on everything found: destination, pay, employer, warning context.
    `read_salaries` fills `found.salaries`; it is called only when pay can be compared."""
    _places(found, place_hits)
    _pay(found, ad.title.lower(), read_salaries)
    _employer(ad, cleaned_text, found)
    if _reads_as_warning(found):
        _drop_quoted_risk(found)
    if "visa_route.tourist_visa_work" in found.evidence:
        # "Come on a tourist visa, we change it to a work visa later" is the trap itself, so a
        # work visa mentioned beside a tourist visa is not evidence of a proper work visa.
        found.evidence.pop("legit.work_visa", None)
        found.strength.pop("legit.work_visa", None)


# Two separate warning phrases ("beware", "report to the hotline") make the text a warning or
# awareness post: the lure phrases it holds are quotes, not an offer (domain.md: warnings are
# not lures). No lure in our corpus carries two; most warnings do.
WARNING_CONTEXT_SPANS = 2


def _reads_as_warning(found: Detection) -> bool:
    spans = {(e.field, e.start) for e in found.evidence.get("warning.awareness", [])}
    return len(spans) >= WARNING_CONTEXT_SPANS


def _drop_quoted_risk(found: Detection) -> None:
    catalog = load_catalog()
    for signal_id in [s for s in found.evidence if catalog[s].polarity == "risk"]:
        found.evidence.pop(signal_id)
        found.strength.pop(signal_id, None)


def _places(found: Detection, place_hits: list[tuple[Place, Evidence]]) -> None:
    best_country, best_weight = "", 0.0
    for place, evidence in place_hits:
        found.places.append(place)
        signal = f"destination.{place.kind}"
        found.add(signal, evidence, place.weight)
        rank = {"compound": 3, "hotspot_town": 2, "hotspot_country": 1}.get(place.kind, 0)
        if rank * place.weight > best_weight:
            best_country, best_weight = place.country, rank * place.weight
    found.destination_country = best_country


# Roles lures are written for; pay is compared with a band only for these (entry-level) roles.
_ENTRY_LEVEL_FAMILIES = {"customer_service", "typist_data_entry", "online_marketing", "translator",
                         "it_support", "casino_hotel", "general_labour"}
# Titles of senior or professional posts, whose pay no entry-level band describes.
_SENIOR_TITLE = re.compile(
    r"\b(?:senior|sr|lead|head|chief|director|manager|vp|vice president|principal|consultant|"
    r"engineer|physician|doctor|psychiatr\w*|surgeon|registrar|professor|architect|attorney|"
    r"lawyer|pharmacist|executive|officer|specialist|analyst|scientist)\b"
)


def _pay(found: Detection, title: str, read_salaries: Callable[[], None]) -> None:
    # Pay is compared with the band of the country the job is in; an ad that names no
    # destination gives nothing to compare with (a default band would flag every well-paid
    # local job in a rich country: in the corpus such hits were more often fair ads than lures).
    if (found.role_family not in _ENTRY_LEVEL_FAMILIES or _SENIOR_TITLE.search(title)
            or not found.destination_country):
        return
    band = band_for(found.role_family, found.destination_country)
    if band is None:
        return
    # Salaries are read only here: they cost more than any other extractor, and most ads
    # (no entry-level role, no destination) have no band to compare them with.
    read_salaries()
    for salary, evidence in found.salaries:
        if salary.monthly_usd is not None and salary.monthly_usd > band:
            ratio = salary.monthly_usd / band
            found.add("offer.pay_above_market", evidence, min(ratio / 2.0, 1.5))


def _employer(ad: Ad, text: str, found: Detection) -> None:
    employer = ad.employer.strip()
    entity = _names_legal_entity(text)
    # An employer field that only describes ("a foreign company", "online game company") names
    # nobody: it is read like an empty one.
    describes = any(span.field == "employer" for span in found.evidence.get("employer.opaque", ()))
    if employer and not describes:
        # An ad that names its employer is not opaque for calling it "a tech company" too.
        found.evidence.pop("employer.opaque", None)
        found.strength.pop("employer.opaque", None)
        website = _WEBSITE.search(text)
        if website or entity:
            span = Evidence("employer", 0, len(ad.employer), ad.employer)
            found.add("legit.named_employer", span)
        return
    if not entity:
        found.add("employer.unnamed", None)
