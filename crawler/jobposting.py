"""Finds schema.org JobPosting objects in a page (JSON-LD, microdata, RDFa) and maps them to items.

extruct parses the markup; this module walks `@graph`, `@type` lists and nested objects, since
extruct leaves those as they are. It also normalises dates and salaries (raw values are kept
beside them) and extracts the main text of pages that carry no structured data.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import extruct
from bs4 import BeautifulSoup, Tag

from crawler.analyse import html_to_text

log = logging.getLogger(__name__)
_SYNTAXES = ("json-ld", "microdata", "rdfa")
# Cheap byte-level checks so the slow microdata and RDFa parsers only run where they can find
# something; JSON-LD is always looked for.
_HAS_MICRODATA = re.compile(r"itemtype\s*=", re.I)
_HAS_RDFA = re.compile(r"\s(?:typeof|vocab)\s*=", re.I)
_HAS_JOBPOSTING = re.compile(r"JobPosting", re.I)


def _types(node: dict[str, Any]) -> list[str]:
    raw = node.get("@type") or node.get("type") or []
    values = raw if isinstance(raw, list) else [raw]
    return [str(v).rsplit("/", 1)[-1].rsplit(":", 1)[-1] for v in values]


def _walk(node: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every JobPosting dict inside `node`: `@graph`, lists, `@type` lists, nested objects."""
    if depth > 40:
        return
    if isinstance(node, list):
        for child in node:
            yield from _walk(child, depth + 1)
    elif isinstance(node, dict):
        if "JobPosting" in _types(node):
            yield node
            return
        for key, child in node.items():
            if key == "@context":
                continue
            yield from _walk(child, depth + 1)


_JSON_LD = re.compile(
    r"<script[^>]*type\s*=\s*[\"']?application/ld\+json[\"']?[^>]*>(.*?)</script\s*>",
    re.I | re.S)
_TRAILING_COMMA = re.compile(r",\s*([}\]])")


def json_ld_blocks(html: str) -> list[Any]:
    """Every readable JSON-LD block; a broken block is skipped, not the whole page's JSON-LD."""
    blocks = []
    for match in _JSON_LD.finditer(html):
        source = match.group(1).strip()
        source = source.removeprefix("<!--").removesuffix("-->").strip()
        source = source.removeprefix("//<![CDATA[").removesuffix("//]]>").strip()
        for attempt in (source, _TRAILING_COMMA.sub(r"\1", source)):
            try:
                blocks.append(json.loads(attempt, strict=False))
                break
            except ValueError:
                continue
    return blocks


def _resolve_ids(postings: list[dict[str, Any]], data: Any) -> None:
    """Replace `{"@id": ...}` references (common in `@graph`) by the objects they name."""
    index: dict[str, dict[str, Any]] = {}

    def collect(node: Any, depth: int = 0) -> None:
        if depth > 40:
            return
        if isinstance(node, list):
            for child in node:
                collect(child, depth + 1)
        elif isinstance(node, dict):
            if isinstance(node.get("@id"), str) and len(node) > 1:
                index.setdefault(node["@id"], node)
            for child in node.values():
                collect(child, depth + 1)

    collect(data)
    if not index:
        return
    for posting in postings:
        for key, value in list(posting.items()):
            if isinstance(value, dict) and set(value) == {"@id"} and value["@id"] in index:
                posting[key] = index[value["@id"]]


def find_job_postings(html: str, url: str) -> list[tuple[str, dict[str, Any]]]:
    """(syntax, JobPosting dict) for every posting in the page, JSON-LD first."""
    if not _HAS_JOBPOSTING.search(html):
        return []
    data: dict[str, Any] = {"json-ld": json_ld_blocks(html)}
    syntaxes = []
    if _HAS_MICRODATA.search(html):
        syntaxes.append("microdata")
    if _HAS_RDFA.search(html):
        syntaxes.append("rdfa")
    if syntaxes:
        try:
            data.update(extruct.extract(html, base_url=url, syntaxes=syntaxes, uniform=True,
                                        errors="ignore"))
        except Exception as exc:  # extruct raises parser errors of several libraries
            log.info("microdata/RDFa unreadable on %s: %s", url, exc)
    if data.get("rdfa"):
        data["rdfa"] = compact_rdfa(data["rdfa"])
    found: list[tuple[str, dict[str, Any]]] = []
    for syntax in _SYNTAXES:
        postings = list(_walk(data.get(syntax, [])))
        _resolve_ids(postings, data.get(syntax, []))
        found.extend((syntax, posting) for posting in postings)
    return _dedupe(found)


_VOCAB = re.compile(r"^https?://schema\.org/")


def compact_rdfa(nodes: list[Any]) -> list[dict[str, Any]]:
    """extruct's expanded RDFa (full IRIs, value lists, blank-node ids) as plain schema.org dicts.

    Blank-node references are replaced by the nodes they name, so a posting carries its
    organisation and place like a JSON-LD posting does.
    """
    by_id: dict[str, dict[str, Any]] = {}
    compacted: list[dict[str, Any]] = []
    for node in nodes:
        if not isinstance(node, dict):
            continue
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "@type":
                out["@type"] = [_VOCAB.sub("", str(t)) for t in
                                (value if isinstance(value, list) else [value])]
            elif key == "@id":
                out["@id"] = value
            elif _VOCAB.match(key):
                values = value if isinstance(value, list) else [value]
                out[_VOCAB.sub("", key)] = [v.get("@value", v) if isinstance(v, dict) else v
                                            for v in values]
        if "@id" in out:
            by_id[out["@id"]] = out
        compacted.append(out)

    def resolve(value: Any, depth: int = 0) -> Any:
        if depth > 10:
            return value
        if isinstance(value, list):
            items = [resolve(v, depth + 1) for v in value]
            return items[0] if len(items) == 1 else items
        if isinstance(value, dict) and set(value) == {"@id"} and value["@id"] in by_id:
            return {k: resolve(v, depth + 1) for k, v in by_id[value["@id"]].items()
                    if k != "@id"}
        return value

    return [{k: (v if k in ("@type", "@id") else resolve(v)) for k, v in node.items()}
            for node in compacted]


def _dedupe(found: list[tuple[str, dict[str, Any]]]) -> list[tuple[str, dict[str, Any]]]:
    """One posting described twice (JSON-LD and microdata) is kept once, the first syntax."""
    seen: set[str] = set()
    kept = []
    for syntax, posting in found:
        key = _text(posting.get("title") or posting.get("name")).lower()[:200]
        if key and key in seen:
            continue
        seen.add(key)
        kept.append((syntax, posting))
    return kept


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return ""
    if isinstance(value, int | float):
        return f"{value:g}" if isinstance(value, float) else str(value)
    if isinstance(value, list):
        return ", ".join(t for t in (_text(v) for v in value) if t)
    if isinstance(value, dict):
        for key in ("name", "@value", "value", "text", "legalName"):
            if key in value:
                return _text(value[key])
        return ""
    return str(value)


def _location(value: Any) -> tuple[str, str]:
    """Readable location and its country code/name from jobLocation."""
    nodes = value if isinstance(value, list) else [value]
    parts: list[str] = []
    country = ""
    for node in nodes:
        if isinstance(node, dict):
            address = node.get("address", node)
            if isinstance(address, dict):
                fields = [_text(address.get(k)) for k in
                          ("streetAddress", "addressLocality", "addressRegion", "addressCountry")]
                parts.append(", ".join(f for f in fields if f))
                country = country or _text(address.get("addressCountry"))
            else:
                parts.append(_text(address))
        elif node:
            parts.append(_text(node))
    return "; ".join(p for p in parts if p), country


_UNITS = {"HOUR": "hour", "DAY": "day", "WEEK": "week", "MONTH": "month", "YEAR": "year"}
_MONTHLY = {"hour": 173.3, "day": 21.7, "week": 4.33, "month": 1.0, "year": 1 / 12}


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        cleaned = re.sub(r"[^\d.]", "", value.replace(",", ""))
        try:
            return float(cleaned) if cleaned else None
        except ValueError:
            return None
    return None


def normalise_salary(value: Any) -> dict[str, Any]:
    """{text, currency, min, max, period, monthly_usd} from a baseSalary / estimatedSalary."""
    if not isinstance(value, dict):
        text = _text(value)
        return {"text": text} if text else {}
    currency = _text(value.get("currency")).upper()
    amount = value.get("value")
    unit = _text(value.get("unitText"))
    low = high = None
    if isinstance(amount, dict):
        unit = _text(amount.get("unitText")) or unit
        low, high = _number(amount.get("minValue")), _number(amount.get("maxValue"))
        exact = _number(amount.get("value"))
        if exact is not None:
            low = high = exact
        figure = (f"{_text(amount.get('minValue'))}-{_text(amount.get('maxValue'))}"
                  if low is not None and high is not None and low != high
                  else _text(amount.get("value") or amount.get("minValue")
                             or amount.get("maxValue")))
    else:
        low = high = _number(amount)
        figure = _text(amount)
    low = high if low is None else low
    high = low if high is None else high
    period = _UNITS.get(unit.upper(), unit.lower())
    text = " ".join(p for p in (currency, figure, f"per {period}" if period else "") if p)
    out: dict[str, Any] = {"text": text, "currency": currency, "min": low, "max": high,
                           "period": period}
    if currency == "USD" and high is not None and period in _MONTHLY:
        out["monthly_usd"] = round(high * _MONTHLY[period], 2)
    return out


_DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%d/%m/%Y",
                 "%d.%m.%Y", "%Y/%m/%d")


def normalise_date(raw: str) -> str:
    """ISO 8601 (UTC) from the date forms job pages and feeds use; '' when unreadable."""
    value = (raw or "").strip()
    if not value:
        return ""
    parsed: datetime | None = None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            for fmt in _DATE_FORMATS:
                try:
                    parsed = datetime.strptime(value, fmt)
                    break
                except ValueError:
                    continue
    if parsed is None:
        return ""
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def posting_fields(posting: dict[str, Any]) -> dict[str, Any]:
    """Item fields from one JobPosting dict, raw values kept beside normalised ones."""
    description = _text(posting.get("description"))
    location, country = _location(posting.get("jobLocation"))
    if not location and posting.get("jobLocationType"):
        location = _text(posting.get("jobLocationType"))
    salary_raw = posting.get("baseSalary") or posting.get("estimatedSalary")
    salary = normalise_salary(salary_raw)
    date_raw = _text(posting.get("datePosted"))
    return {
        "title": html_to_text(_text(posting.get("title") or posting.get("name"))),
        "text_html": description,
        "employer": _text(posting.get("hiringOrganization")),
        "location": location,
        "location_raw": posting.get("jobLocation"),
        "location_country": country,
        "salary": salary.get("text", ""),
        "salary_raw": salary_raw,
        "salary_normalised": {k: v for k, v in salary.items() if k != "text"},
        "date_posted_raw": date_raw,
        "date_posted": normalise_date(date_raw),
        "raw": _jsonable(posting),
    }


def _jsonable(value: Any) -> Any:
    """The structured data as it was on the page, made JSON-safe for storage."""
    try:
        return json.loads(json.dumps(value, default=str))
    except (TypeError, ValueError):
        return {}


# --- pages without structured data -------------------------------------------------------------

_CHROME_TAGS = ["script", "style", "noscript", "template", "nav", "header", "footer", "aside",
                "form", "iframe", "svg", "button", "select"]
_CHROME_NAMES = re.compile(
    r"(^|[-_ ])(nav|navbar|menu|footer|header|sidebar|side-bar|cookie|consent|banner|share|"
    r"social|related|recommend|comment|breadcrumb|advert|ads|promo|newsletter|subscribe|"
    r"login|signup|modal|popup)([-_ ]|$)", re.I)
_BLOCKS = ("article", "main", "section", "div", "td")


def _strip_chrome(soup: BeautifulSoup) -> None:
    for tag in soup(_CHROME_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        if not isinstance(tag, Tag) or tag.attrs is None or tag.name in ("html", "body"):
            continue
        names = " ".join([*(tag.get("class") or []), tag.get("id") or "",
                          tag.get("role") or ""])
        if names.strip() and _CHROME_NAMES.search(names):
            tag.decompose()


def _block_score(tag: Tag) -> float:
    text = tag.get_text(" ", strip=True)
    if not text:
        return 0.0
    link_text = sum(len(a.get_text(" ", strip=True)) for a in tag.find_all("a"))
    return len(text) - 2.0 * link_text


def main_block(html: str) -> tuple[str, Tag | None]:
    """(title, main content element) of a page: `main`/`article` or the densest text block."""
    soup = BeautifulSoup(html, "lxml")
    title_tag = soup.find("h1") or soup.find("title")
    title = title_tag.get_text(" ", strip=True) if title_tag else ""
    _strip_chrome(soup)
    explicit = (soup.find("main") or soup.find("article") or soup.find(attrs={"role": "main"})
                or soup.find(attrs={"itemprop": "description"}))
    if isinstance(explicit, Tag) and len(explicit.get_text(strip=True)) >= 80:
        return title, explicit
    best: Tag | None = None
    best_score = 0.0
    for tag in soup.find_all(_BLOCKS):
        score = _block_score(tag)
        # Prefer the innermost block that still holds most of the text.
        if score > best_score * 1.25 or (best is not None and score >= best_score * 0.8
                                          and best in tag.parents):
            best, best_score = tag, score
    return title, best or soup.body or soup


def main_text(html: str) -> tuple[str, str]:
    """(title, text) of a page without structured data: the main content block's text."""
    title, block = main_block(html)
    if block is None:
        return title, ""
    lines = (line.strip() for line in block.get_text("\n").splitlines())
    return title, "\n".join(line for line in lines if line)
