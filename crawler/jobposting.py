"""Finds schema.org JobPosting objects in a page (JSON-LD, microdata, RDFa) and maps them to items.

extruct parses the markup; this module walks `@graph`, `@type` lists and nested objects, since
extruct leaves those as they are.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import extruct
from bs4 import BeautifulSoup

log = logging.getLogger(__name__)
_SYNTAXES = ["json-ld", "microdata", "rdfa"]


def _types(node: dict[str, Any]) -> list[str]:
    raw = node.get("@type") or node.get("type") or []
    values = raw if isinstance(raw, list) else [raw]
    return [str(v).rsplit("/", 1)[-1] for v in values]


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, list):
        for child in node:
            yield from _walk(child)
    elif isinstance(node, dict):
        if "JobPosting" in _types(node):
            yield node
            return
        for key, child in node.items():
            if key in ("@context",):
                continue
            yield from _walk(child)


def find_job_postings(html: str | bytes, url: str) -> list[tuple[str, dict[str, Any]]]:
    """(syntax, JobPosting dict) for every posting in the page, JSON-LD first."""
    try:
        data = extruct.extract(html, base_url=url, syntaxes=_SYNTAXES, uniform=True,
                               errors="ignore")
    except Exception as exc:  # extruct raises parser errors of several libraries
        log.warning("structured data unreadable on %s: %s", url, exc)
        return []
    found: list[tuple[str, dict[str, Any]]] = []
    for syntax in _SYNTAXES:
        for posting in _walk(data.get(syntax.replace("-", "-"), [])):
            found.append((syntax, posting))
    return found


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return ", ".join(t for t in (_text(v) for v in value) if t)
    if isinstance(value, dict):
        for key in ("name", "@value", "value", "text"):
            if key in value:
                return _text(value[key])
        return ""
    return str(value)


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment, one block per line."""
    if "<" not in html:
        return html.strip()
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript", "template"]):
        tag.decompose()
    lines = (line.strip() for line in soup.get_text("\n").splitlines())
    return "\n".join(line for line in lines if line)


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


def _salary(value: Any) -> str:
    if not isinstance(value, dict):
        return _text(value)
    currency = _text(value.get("currency"))
    amount = value.get("value")
    unit = ""
    if isinstance(amount, dict):
        unit = _text(amount.get("unitText"))
        low, high = amount.get("minValue"), amount.get("maxValue")
        exact = amount.get("value")
        if low is not None and high is not None:
            figure = f"{_text(low)}-{_text(high)}"
        else:
            figure = _text(exact if exact is not None else low if low is not None else high)
    else:
        figure = _text(amount)
    return " ".join(p for p in (currency, figure, f"per {unit.lower()}" if unit else "") if p)


def posting_fields(posting: dict[str, Any]) -> dict[str, Any]:
    """Item fields from one JobPosting dict, raw values kept beside normalised ones."""
    description = _text(posting.get("description"))
    location, country = _location(posting.get("jobLocation"))
    if not location and posting.get("jobLocationType"):
        location = _text(posting.get("jobLocationType"))
    return {
        "title": html_to_text(_text(posting.get("title") or posting.get("name"))),
        "text_html": description,
        "text": html_to_text(description),
        "employer": _text(posting.get("hiringOrganization")),
        "location": location,
        "location_country": country,
        "salary": _salary(posting.get("baseSalary") or posting.get("estimatedSalary")),
        "salary_raw": posting.get("baseSalary") or posting.get("estimatedSalary"),
        "date_posted_raw": _text(posting.get("datePosted")),
    }


def main_text(html: str) -> tuple[str, str]:
    """(title, text) of a page without structured data: the main content block's text."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript", "template", "nav", "header", "footer",
                     "aside", "form"]):
        tag.decompose()
    title_tag = soup.find("h1") or soup.find("title")
    title = title_tag.get_text(" ", strip=True) if title_tag else ""
    main = soup.find("main") or soup.find("article") or soup.find(attrs={"role": "main"}) or soup
    lines = (line.strip() for line in main.get_text("\n").splitlines())
    return title, "\n".join(line for line in lines if line)
