"""Salary extraction: amount, currency and period, converted to a monthly US-dollar figure.

Amounts are found in the salary field and in the text, parsed with price-parser, scaled by
multiplier words (k, 万, lakh, juta, triệu...), converted with the dated table in
`lexicon/pay.toml` and compared with the pay band of the role family in the destination country.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache

from price_parser import Price

from scoring.catalog import LEXICON_DIR

_MULTIPLIERS = {
    "k": 1e3, "k+": 1e3, "千": 1e3, "万": 1e4, "萬": 1e4, "만": 1e4, "lakh": 1e5, "lakhs": 1e5,
    "lac": 1e5, "juta": 1e6, "jt": 1e6, "triệu": 1e6, "trieu": 1e6, "tr": 1e6, "ribu": 1e3,
    "rb": 1e3, "mil": 1e3, "millones": 1e6, "million": 1e6, "m": 1e6, "тыс": 1e3, "тысяч": 1e3,
    "ล้าน": 1e6, "พัน": 1e3, "หมื่น": 1e4, "သိန်း": 1e5, "ပိုင်": 1e5, "ကျပ်": 1.0,
}
_PERIODS: list[tuple[float, re.Pattern[str]]] = [
    (176.0, re.compile(
        r"\b(?:per|an|a|/)\s*(?:hour|hr)\b|/h\b|时薪|時薪|ต่อชั่วโมง|시급|por hora|в час")),
    (26.0, re.compile(
        r"\b(?:per|a|/)\s*day\b|daily|/ngày|mỗi ngày|một ngày|每天|一天|日薪|/天|ต่อวัน|วันละ|"
        r"per hari|sehari|/hari|kada araw|isang araw|kwa siku|por día|al día|в день|/день|일당|"
        r"प्रति दिन|रोज|ក្នុងមួយថ្ងៃ|တစ်ရက်")),
    (4.33, re.compile(r"\b(?:per|a|/)\s*week\b|weekly|mỗi tuần|每周|每週|ต่อสัปดาห์|per minggu|"
                      r"kada linggo|por semana|в неделю|주급")),
    (1 / 12, re.compile(r"\b(?:per|a|/)\s*(?:year|annum)\b|annual|yearly|p\.?a\.?\b|年薪|/năm|"
                        r"ต่อปี|per tahun|al año|в год|연봉")),
]
_CURRENCY_WORDS = (
    r"us\$|usd|\$|€|eur|£|gbp|₱|php|peso|฿|thb|baht|บาท|₫|vnd|đ|đồng|dong|₹|inr|rs\.?|rupees?|"
    r"rp\.?|idr|rupiah|rm|myr|ringgit|ks|kyats?|mmk|ကျပ်|riels?|khr|៛|¥|rmb|cny|yuan|元|块|"
    r"nt\$|twd|hk\$|hkd|₩|krw|원|kes|ksh|tzs|ugx|shillings?|sh|aed|dirhams?|sar|qar|sgd|s\$|"
    r"usdt|₽|rub|руб\w*|pesos|soles|s/|mxn|cop|pen|ngn|₦|ghs|lkr|npr|bdt|pkr"
)
_AMOUNT = r"\d{1,3}(?:[,. ]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_MULT = (
    r"(?:\s?(?:k\+?|千|万|萬|만|lakhs?|lac|juta|jt|triệu|trieu|tr|ribu|rb|mil|millones|million|"
    r"тыс\w*|ล้าน|พัน|หมื่น|သိန်း))?"
)
_MONEY_RE = re.compile(
    rf"(?P<pre>{_CURRENCY_WORDS})\s?(?P<a1>{_AMOUNT}){_MULT}(?:\s?[-–~to]+\s?(?:{_CURRENCY_WORDS})?\s?(?P<a2>{_AMOUNT}){_MULT})?"
    rf"|(?P<a3>{_AMOUNT})(?P<m3>{_MULT})(?:\s?[-–~]\s?(?P<a4>{_AMOUNT})(?P<m4>{_MULT}))?\s?(?P<post>{_CURRENCY_WORDS})(?![a-z])",
    re.IGNORECASE,
)


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
        for family, values in data.get("bands", {}).items()
    }
    roles = {family: [w.lower() for w in words] for family, words in data.get("roles", {}).items()}
    return PayTable(currency.get("as_of", ""), usd, symbols, bands, roles)


@dataclass(frozen=True)
class Salary:
    """One pay figure found in the ad."""

    raw: str
    amount: float
    currency: str
    period_factor: float
    monthly_usd: float | None
    start: int
    end: int


def _to_number(text: str) -> float | None:
    price = Price.fromstring(text.replace(" ", ""))
    return float(price.amount) if price.amount is not None else None


def _multiplier(text: str) -> float:
    word = text.strip().lower()
    if not word:
        return 1.0
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


def find_salaries(text: str) -> list[Salary]:
    """Pay figures with a currency in a cleaned, lower-cased text."""
    table = load_pay_table()
    found: list[Salary] = []
    for match in _MONEY_RE.finditer(text):
        groups = match.groupdict()
        if groups["pre"]:
            currency = _currency_code(groups["pre"], table)
            amounts = [groups["a1"], groups["a2"]]
            tail = match.group()[match.group().find(groups["a1"]) + len(groups["a1"]):]
            mults = [_multiplier(re.split(r"[-–~]|to", tail)[0])] * 2
        else:
            currency = _currency_code(groups["post"], table)
            amounts = [groups["a3"], groups["a4"]]
            first = groups["m3"] or ""
            mults = [_multiplier(first), _multiplier(groups["m4"] or first)]
        if not currency:
            continue
        values = [
            number * mult
            for raw, mult in zip(amounts, mults, strict=True)
            if raw and (number := _to_number(raw)) is not None
        ]
        if not values:
            continue
        amount = max(values)
        window = text[match.end(): match.end() + 24]
        factor = 1.0
        for period_factor, pattern in _PERIODS:
            if pattern.search(window):
                factor = period_factor
                break
        rate = table.usd_per_unit.get(currency)
        monthly = amount * factor * rate if rate else None
        found.append(Salary(match.group(), amount, currency, factor, monthly, *match.span()))
    return found


def role_family(text: str) -> str:
    """The pay-band role family whose keywords appear first in a phrase-view text."""
    table = load_pay_table()
    padded = f" {text} "
    best, best_pos = "default", len(padded)
    for family, words in table.roles.items():
        for word in words:
            pos = padded.find(f" {word} ") if word.isascii() else padded.find(word)
            if 0 <= pos < best_pos:
                best, best_pos = family, pos
    return best


def band_for(family: str, country: str) -> float | None:
    """The monthly USD line above which pay for this role in this country is unusual."""
    bands = load_pay_table().bands
    row = bands.get(family) or bands.get("default") or {}
    return row.get(country.upper()) or row.get("default")
