"""Salary extraction: amount, currency and period, converted to a monthly US-dollar figure.

Amounts are found in the salary field and in the text, parsed with price-parser, scaled by
multiplier words (k, 万, lakh, juta, triệu...), converted with the dated table in
`lexicon/pay.toml` and compared with the pay band of the role family in the destination country.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import NamedTuple

import ahocorasick_rs
from price_parser import Price

from scoring.catalog import LEXICON_DIR
from scoring.extract.figures import Figures, matches_from

_MULTIPLIERS = {
    "k": 1e3, "k+": 1e3, "千": 1e3, "万": 1e4, "萬": 1e4, "만": 1e4, "lakh": 1e5, "lakhs": 1e5,
    "lac": 1e5, "juta": 1e6, "jt": 1e6, "triệu": 1e6, "trieu": 1e6, "tr": 1e6, "ribu": 1e3,
    "rb": 1e3, "mil": 1e3, "millones": 1e6, "million": 1e6, "m": 1e6, "тыс": 1e3, "тысяч": 1e3,
    "ล้าน": 1e6, "พัน": 1e3, "หมื่น": 1e4, "သိန်း": 1e5, "ပိုင်": 1e5, "ကျပ်": 1.0,
}
# Pay periods and the factor that turns each into a month. One regex with a group per period
# finds the period word nearest after an amount in a single pass.
_PERIOD_FACTORS = (176.0, 26.0, 4.33, 1 / 12)
_PERIOD_RE = re.compile("|".join(f"({pattern})" for pattern in (
    r"\b(?:per|an|a|/)\s*(?:hour|hr)\b|/h\b|时薪|時薪|ต่อชั่วโมง|시급|por hora|в час",
    r"\b(?:per|a|/)\s*day\b|daily|/ngày|mỗi ngày|một ngày|每天|一天|日薪|/天|ต่อวัน|วันละ|"
    r"per hari|sehari|/hari|kada araw|isang araw|kwa siku|por día|al día|в день|/день|일당|"
    r"प्रति दिन|रोज|ក្នុងមួយថ្ងៃ|တစ်ရက်",
    r"\b(?:per|a|/)\s*week\b|weekly|mỗi tuần|每周|每週|ต่อสัปดาห์|per minggu|"
    r"kada linggo|por semana|в неделю|주급",
    r"\b(?:per|a|/)\s*(?:year|annum)\b|annual|yearly|p\.?a\.?\b|年薪|/năm|"
    r"ต่อปี|per tahun|al año|в год|연봉",
)))
_CURRENCY_WORDS = (
    r"us\$|usd|\$|€|eur|£|gbp|₱|php|peso|฿|thb|baht|บาท|₫|vnd|đ|đồng|dong|₹|inr|rs\.?|rupees?|"
    r"rp\.?|idr|rupiah|rm|myr|ringgit|ks|kyats?|mmk|ကျပ်|riels?|khr|៛|¥|rmb|cny|yuan|元|块|"
    r"nt\$|twd|hk\$|hkd|₩|krw|원|kes|ksh|tzs|ugx|shillings?|sh|aed|dirhams?|sar|qar|sgd|s\$|"
    r"usdt|₽|rub|руб\w*|pesos|soles|s/|mxn|cop|pen|ngn|₦|ghs|lkr|npr|bdt|pkr|€|lak|kip|ริงกิต|"
    r"ดอลลาร์|ดอลล่าร์|美元|美金|u|刀|달러|долл\w*|доллар\w*|dola|dolar|dólares|dolares|dollars?"
)
_MULT_WORDS = (
    r"k\+?|千|万|萬|만|lakhs?|lac|juta|jt|triệu|trieu|tr|ribu|rb|mil|millones|million|"
    r"тыс\w*|ล้าน|พัน|หมื่น|သိန်း"
)
# An amount: digits with thousands separators or decimals, then an optional multiplier word.
# The first digit stands outside the alternation so the regex engine can skip to digits quickly.
_AMOUNT_RE = re.compile(
    rf"(?P<num>\d(?:\d{{0,2}}(?:[,. ]\d{{3}})+(?:[.,]\d+)?|\d*(?:[.,]\d+)?))"
    rf"(?P<mult>\s?(?:{_MULT_WORDS})(?![a-z]))?"
)
_LAST_TOKEN = re.compile(r"\S+$")
_TOKEN_TAIL = re.compile(r"[^\w\s]+$|[^\W\d_]+\.?$")
_CURRENCY_AFTER = re.compile(rf"\s?(?:{_CURRENCY_WORDS})(?![a-z])")
# Multiplier words that name the currency by themselves ("15 triệu" is dong).
_IMPLIED_CURRENCY = {"triệu": "VND", "trieu": "VND", "tr": "VND", "juta": "IDR", "jt": "IDR",
                     "lakh": "INR", "lakhs": "INR", "lac": "INR", "만": "KRW", "万": "CNY",
                     "萬": "TWD", "သိန်း": "MMK", "ล้าน": "THB", "หมื่น": "THB"}
_RANGE_JOIN = re.compile(r"\s?(?:-|–|~|to|à|a|hasta|до|đến|ถึง|至|到)\s?$")


@dataclass(frozen=True)
class PayTable:
    """Dated exchange rates and monthly pay bands (USD) per role family and country."""

    as_of: str
    usd_per_unit: dict[str, float]
    symbols: dict[str, str]
    bands: dict[str, dict[str, float]]
    roles: dict[str, list[str]]


@cache
def load_pay_table() -> PayTable:
    """Read lexicon/pay.toml once."""
    path = LEXICON_DIR / "pay.toml"
    data: dict = {}
    if path.exists():
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    currency = data.get("currency", {})
    usd = {k.upper(): float(v) for k, v in currency.get("usd_per_unit", {}).items()}
    usd.setdefault("USD", 1.0)
    symbols = {k.lower(): v.upper() for k, v in currency.get("symbols", {}).items()}
    for key, code in {"$": "USD", "us$": "USD", "usd": "USD", "usdt": "USD"}.items():
        symbols.setdefault(key, code)
    bands = {
        family: {country.upper() if country != "default" else "default": float(v)
                 for country, v in values.items() if not isinstance(v, list)}
        for family, values in data.get("bands_p90", data.get("bands", {})).items()
    }
    roles = {family: [w.lower() for w in words] for family, words in data.get("roles", {}).items()}
    return PayTable(currency.get("as_of", ""), usd, symbols, bands, roles)


class Salary(NamedTuple):
    """One pay figure found in the ad."""

    raw: str
    amount: float
    currency: str
    period_factor: float
    monthly_usd: float | None
    start: int
    end: int


_DIGIT = re.compile(r"\d")


@lru_cache(maxsize=8192)
def _to_number(text: str) -> float | None:
    price = Price.fromstring(text.replace(" ", ""))
    return float(price.amount) if price.amount is not None else None


def _multiplier(text: str) -> float:
    word = text.strip().lower()
    if not word:
        return 1.0
    if word in _MULTIPLIERS:
        return _MULTIPLIERS[word]
    for key, value in _MULTIPLIERS.items():
        if word.startswith(key):
            return value
    return 1.0


def _currency_code(word: str, table: PayTable) -> str:
    key = word.strip().lower().rstrip(".")
    if key in table.symbols:
        return table.symbols[key]
    upper = key.upper()
    return upper if upper in table.usd_per_unit else ""


def _currency_before(text: str, start: int, table: PayTable) -> tuple[int, str] | None:
    """(start, code) of a currency word or sign written just before position `start`."""
    window = text[max(0, start - 16):start]
    if window.endswith(" "):
        window = window[:-1]
    token_match = _LAST_TOKEN.search(window)
    if token_match is None:
        return None
    token = token_match.group()
    tail = _TOKEN_TAIL.search(token)
    for candidate in (token, tail.group() if tail else ""):
        code = _currency_code(candidate, table) if candidate else ""
        if code:
            offset = max(0, start - 16) + token_match.end() - len(candidate)
            return offset, code
    return None


@cache
def _currency_finder() -> ahocorasick_rs.AhoCorasick:
    """Every word or sign the currency lookup accepts, to find cheaply where currencies stand."""
    table = load_pay_table()
    words = set(table.symbols) | {code.lower() for code in table.usd_per_unit}
    return ahocorasick_rs.AhoCorasick(  # a few hundred words: a DFA is small and fastest
        sorted(words), implementation=ahocorasick_rs.Implementation.DFA
    )


def _near(sorted_positions: list[int], low: int, high: int) -> bool:
    """Whether any position lies in [low, high]."""
    k = bisect_left(sorted_positions, low)
    return k < len(sorted_positions) and sorted_positions[k] <= high


def _candidates(
    text: str, amounts: list[re.Match[str]]
) -> tuple[list[bool], list[bool], list[bool]]:
    """For each amount: whether it may carry a currency (one stands right before or after it,
    a multiplier word names one, or a neighbour in a range "1,500 - 2,000 USD" has one), and
    whether a currency word may stand right before it and right after it. The full reading
    below is exact; this only skips the many figures (phones, ages, dates) that cannot be pay
    and the currency lookups that cannot succeed."""
    ends: list[int] = []
    starts: list[int] = []
    for _, first, stop in _currency_finder().find_matches_as_indexes(text, overlapping=True):
        starts.append(first)
        ends.append(stop)
    if not starts:
        none = [False] * len(amounts)
        return [bool(m.group("mult")) for m in amounts], none, none
    starts.sort()
    ends.sort()
    before = [_near(ends, m.start() - 4, m.start()) for m in amounts]
    after = [_near(starts, m.end(), m.end() + 1) for m in amounts]
    direct = [bool(m.group("mult")) or b or a
              for m, b, a in zip(amounts, before, after, strict=True)]
    chosen = list(direct)
    for i in range(len(amounts)):
        close_next = i + 1 < len(amounts) and amounts[i + 1].start() - amounts[i].end() < 8
        close_prev = i > 0 and amounts[i].start() - amounts[i - 1].end() < 8
        if (close_next and direct[i + 1]) or (close_prev and chosen[i - 1]):
            chosen[i] = True
    return chosen, before, after


# Above this a monthly figure with no stated period is read as yearly pay...
ASSUME_YEARLY_ABOVE_USD = 8000.0
# ...and above this it is not pay at all (revenue, capital, project budgets).
NOT_PAY_ABOVE_USD = 200_000.0


def find_salaries(text: str, language: str = "", figures: Figures | None = None) -> list[Salary]:
    """Pay figures with a currency in a cleaned, lower-cased text.

    Reads amounts (digit runs) and looks for a currency word right before or after each, so the
    cost grows with the number of figures, not with the length of the ad. `figures`: the text's
    figure positions (`find_figures`), when already known.
    """
    if figures is not None:
        if not figures.digits:
            return []
        # An amount starts at a digit; once one ends, the next starts at the next digit.
        amounts = list(matches_from(_AMOUNT_RE, text, figures.digits))
    elif not _DIGIT.search(text):
        return []
    else:
        amounts = list(_AMOUNT_RE.finditer(text))
    table = load_pay_table()
    found: list[Salary] = []
    chosen, before_possible, after_possible = _candidates(text, amounts)
    if not any(chosen):
        return found
    previous: tuple[int, str] = (-100, "")
    for index, match in enumerate(amounts):
        if not chosen[index]:
            continue
        before = (_currency_before(text, match.start(), table) if before_possible[index]
                  else None)
        after = (_CURRENCY_AFTER.match(text, match.end())
                 if before is None and after_possible[index] else None)
        currency = before[1] if before else _currency_code(after.group(), table) if after else ""
        if not currency and index + 1 < len(amounts):
            # "1,500 - 2,000 USD": the currency follows the second figure of a range.
            nxt = amounts[index + 1]
            # The distance first: the search would scan all the text between the two figures.
            if nxt.start() - match.end() < 6 and _RANGE_JOIN.search(text, match.end(), nxt.start()):
                tail = _CURRENCY_AFTER.match(text, nxt.end())
                currency = _currency_code(tail.group(), table) if tail else ""
        if not currency and previous[1] and match.start() - previous[0] < 6 and _RANGE_JOIN.search(
            text, previous[0], match.start()
        ):
            currency = previous[1]
        mult_word = (match.group("mult") or "").strip()
        if not currency and mult_word:
            currency = _IMPLIED_CURRENCY.get(mult_word, "")
            if currency == "INR" and language == "my":
                currency = "MMK"  # in Myanmar "lakh" counts kyat
        if not currency:
            continue
        previous = (match.end(), currency)
        number = _to_number(match.group("num"))
        if number is None:
            continue
        amount = number * _multiplier(match.group("mult") or "")
        start = before[0] if before else match.start()
        end = match.end() if before or not after else after.end()
        window = text[end:end + 24]
        period = _PERIOD_RE.search(window)
        factor = _PERIOD_FACTORS[period.lastindex - 1] if period and period.lastindex else 0.0
        rate = table.usd_per_unit.get(currency)
        if not factor:
            factor = 1.0
            if rate and amount * rate > ASSUME_YEARLY_ABOVE_USD:
                factor = 1 / 12
        monthly = amount * factor * rate if rate else None
        if monthly is not None and monthly > NOT_PAY_ABOVE_USD:
            continue
        found.append(Salary(text[start:end], amount, currency, factor, monthly, start, end))
    return found


def band_for(family: str, country: str) -> float | None:
    """The monthly USD line above which pay for this role in this country is unusual."""
    bands = load_pay_table().bands
    row = bands.get(family) or bands.get("default") or {}
    return row.get(country.upper()) or row.get("default")
