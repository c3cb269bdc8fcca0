"""Spreadsheet cells ↔ values (celler ↔ værdier): the cell codec. Which column holds which field: kb/transfer/columns.py.

The text forms (README, "Import og eksport"):

- plain text as it is; an empty cell is empty text, or no value for optional references (parent, provision, …);
- yes/no as "ja" / "nej" (true/false, yes/no, 1/0 and Excel's SAND/FALSK are read too);
- lists as "a; b; c" — reference lists (settings, holders, …) are sets, read back sorted;
- sources as citations separated by " | ": "seed-004:1371-1372", "provision:aut-54-4-1" or "https://…", each
  optionally followed by " — note";
- requirements as "competence:level[:complexity]" separated by "; ";
- evidence one per line: "taker | from | kind | summary | source | source …";
- shortage figures one per line: "metric | value | unit | year | note | source | source …".

A text longer than the database column it is stored in (VARCHAR(n) in the models, e.g. a slug's 120 characters,
a term's 200) is a cell error: PostgreSQL would fail the commit and SQLite would store it anyway.

Inside list items a backslash escapes what would otherwise separate: "\\;", "\\|", "\\\\", and "\\n" for a line
break, so every value survives the round trip (export → import is an identity).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Callable, Optional

import sqlalchemy as sa

Cell = Any  # what a column writes: str, or int for whole numbers (a number cell in .xlsx)


@lru_cache(maxsize=None)
def _lengths(table: str) -> dict[str, int]:
    """VARCHAR lengths of a model's columns, by column name (the models are the truth; nothing is copied)."""
    from kb import models as m

    model = {"task": m.Task, "profession": m.Profession, "competence": m.Competence, "rule": m.Rule,
             "term": m.TaskTerm, "shortage": m.ProfessionShortage, "citation": m.SourceCitation}[table]
    return {c.name: c.type.length for c in model.__table__.columns
            if isinstance(c.type, sa.String) and getattr(c.type, "length", None)}


def _length(table: str, column: str) -> int:
    return _lengths(table)[column]


class CellError(ValueError):
    """A cell that cannot be read; the message is Danish and names the item when the cell holds a list."""


# -- escaping inside list cells ------------------------------------------------------------------------------

_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r"}
_UNESCAPE = re.compile(r"\\(.)", re.S)


def escape(text: str, specials: str) -> str:
    return "".join(_ESCAPES.get(ch) or ("\\" + ch if ch in specials else ch) for ch in text)


def unescape(text: str) -> str:
    return _UNESCAPE.sub(lambda m: {"n": "\n", "r": "\r"}.get(m.group(1), m.group(1)), text)


def split(text: str, sep: str) -> list[str]:
    """Split on `sep` where it is not escaped; the pieces keep their escapes (unescape the atoms at the end)."""
    parts, current, i = [], [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            current.append(text[i:i + 2])
            i += 2
            continue
        if text[i] == sep:
            parts.append("".join(current))
            current = []
        else:
            current.append(text[i])
        i += 1
    parts.append("".join(current))
    return parts


def _items(text: str, sep: str) -> list[str]:
    return [p.strip() for p in split(text, sep) if p.strip()]


def _lines(text: str) -> list[str]:
    return _items(text.replace("\r\n", "\n"), "\n")


# -- scalars -------------------------------------------------------------------------------------------------

def enc_text(value: Any) -> str:
    return "" if value is None else str(value)


def dec_text(text: str) -> str:
    return text.strip()


def dec_optional(text: str) -> Optional[str]:
    return text.strip() or None


TRUE = {"ja", "j", "true", "yes", "y", "1", "sand", "x"}
FALSE = {"nej", "n", "false", "no", "0", "falsk"}


def enc_bool(value: Any) -> str:
    return "" if value is None else ("ja" if value else "nej")


def dec_bool(text: str) -> Optional[bool]:
    word = text.strip().lower()
    if not word:
        return None  # the schema says what an empty answer means ("skal være ja eller nej")
    if word in TRUE:
        return True
    if word in FALSE:
        return False
    raise CellError(f"'{text.strip()}' skal være ja eller nej")


def enc_int(value: Any) -> Cell:
    return "" if value is None else int(value)


def dec_int(text: str) -> Optional[int]:
    text = text.strip()
    if not text:
        return None
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        raise CellError(f"'{text}' skal være et heltal") from None
    if not number.is_integer():
        raise CellError(f"'{text}' skal være et heltal")
    return int(number)


def dec_int_or_zero(text: str) -> int:
    """A whole number where an empty cell means 0 (a competence's education level: open to every group)."""
    return dec_int(text) or 0


def _number(value: Any) -> str:
    if value is None:
        return ""
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)


def _dec_number(text: str, what: str) -> Optional[float]:
    text = text.strip()
    if not text:
        return None
    try:
        return float(text.replace(",", "."))
    except ValueError:
        raise CellError(f"{what}: '{text}' er ikke et tal") from None


def limited(decode: Callable[[str], Any], length: int) -> Callable[[str], Any]:
    """`decode`, refusing a value longer than its database column (VARCHAR(n)): PostgreSQL would fail the commit,
    and SQLite would quietly store more than the column holds."""
    def decode_limited(text: str) -> Any:
        value = decode(text)
        if isinstance(value, str) and len(value) > length:
            raise CellError(f"højst {length} tegn (cellen har {len(value)})")
        return value

    return decode_limited


def _check_length(value: str, length: int, what: str) -> str:
    if len(value) > length:
        raise CellError(f"{what}: højst {length} tegn (har {len(value)})")
    return value


# -- lists ---------------------------------------------------------------------------------------------------

def enc_list(values: list[str]) -> str:
    return "; ".join(escape(str(v), ";") for v in values or [])


def dec_list(text: str) -> list[str]:
    return [unescape(p) for p in _items(text, ";")]


def dec_terms(text: str) -> list[str]:
    limit = _length("term", "term")
    return [_check_length(t, limit, f"nr. {i}") for i, t in enumerate(dec_list(text), 1)]


def dec_slug_set(text: str) -> list[str]:
    """Reference lists are sets in the database (the document lists them sorted)."""
    return sorted(dict.fromkeys(dec_list(text)))


# -- citations -----------------------------------------------------------------------------------------------

def citation_text(c: dict[str, Any]) -> str:
    if c.get("document"):
        lines = c.get("lines") or [None, None]
        target = f"{c['document']}:{lines[0]}-{lines[1]}"
    elif c.get("provision"):
        target = f"provision:{c['provision']}"
    else:
        target = c.get("url") or ""
    target = escape(target, "|")
    return f"{target} — {escape(c['note'], '|')}" if c.get("note") else target


_CITATION = re.compile(r"^([^\s—–]+)\s*(?:[—–]|-(?=\s))?\s*(.*)$", re.S)
# At most nine digits: a report has fewer lines, and int() refuses strings of more than 4,300 digits (ValueError).
_LINES = re.compile(r"^(\d{1,9})(?:\s*-\s*(\d{1,9}))?$")
CITATION_HELP = "skriv dokument:fra-til, provision:slug eller en https://-adresse, evt. efterfulgt af ' — note'"


def parse_citation(raw: str, where: str) -> dict[str, Any]:
    match = _CITATION.match(raw.strip())
    if not match:
        raise CellError(f"{where}: '{unescape(raw)}' er ikke en kilde; {CITATION_HELP}")
    target, note = unescape(match.group(1)), unescape(match.group(2)).strip()
    if target.startswith(("https://", "http://")):
        out: dict[str, Any] = {"url": _check_length(target, _length("citation", "url"), f"{where}, adressen")}
    elif target.lower().startswith("provision:"):
        out = {"provision": target.split(":", 1)[1]}
    elif ":" in target:
        document, lines = target.split(":", 1)
        found = _LINES.match(lines.strip())
        if not document or not found:
            raise CellError(f"{where}: '{target}' skal have linjer som dokument:fra-til (fx seed-004:1371-1372)")
        first = int(found.group(1))
        out = {"document": document, "lines": [first, int(found.group(2) or first)]}
    else:
        raise CellError(f"{where}: '{target}' er ikke en kilde; {CITATION_HELP}")
    if note:
        out["note"] = note
    return out


def enc_citations(values: list[dict[str, Any]]) -> str:
    return " | ".join(citation_text(c) for c in values or [])


def _citations(pieces: list[str], prefix: str = "") -> list[dict[str, Any]]:
    return [parse_citation(p, f"{prefix}kilde nr. {i}") for i, p in enumerate(pieces, 1)]


def dec_citations(text: str) -> list[dict[str, Any]]:
    return _citations(_items(text, "|"))


# -- requirements, evidence, shortage figures ----------------------------------------------------------------

def enc_requirements(values: list[dict[str, Any]]) -> str:
    return "; ".join(":".join(escape(str(x), ";:") for x in (r["competence"], r["level"], r.get("complexity")) if x)
                     for r in values or [])


def dec_requirements(text: str) -> list[dict[str, Any]]:
    out = []
    for i, item in enumerate(_items(text, ";"), 1):
        parts = [unescape(p).strip() for p in split(item, ":")]
        if not 1 <= len(parts) <= 3 or not parts[0]:
            raise CellError(f"krav nr. {i}: '{unescape(item)}' skal skrives kompetence:niveau[:kompleksitet], "
                            "fx blodproevetagning:required:complex")
        out.append({"competence": parts[0], "level": parts[1] if len(parts) > 1 and parts[1] else "required",
                    "complexity": parts[2] if len(parts) > 2 and parts[2] else None})
    return out


def _part(value: Any) -> str:
    return escape(enc_text(value), "|")


def enc_evidence(values: list[dict[str, Any]]) -> str:
    return "\n".join(" | ".join([_part(e["taker"]), _part(e.get("from")), _part(e["kind"]), _part(e["summary"])]
                                + [citation_text(c) for c in e.get("sources") or []]) for e in values or [])


def dec_evidence(text: str) -> list[dict[str, Any]]:
    out = []
    for i, line in enumerate(_lines(text), 1):
        parts = [p.strip() for p in split(line, "|")]
        if len(parts) < 4:
            raise CellError(f"linje {i}: skriv modtager | fra | type | resumé | kilde | kilde …")
        taker, from_, kind, summary = (unescape(p) for p in parts[:4])
        out.append({"taker": taker, "from": from_ or None, "kind": kind, "summary": summary,
                    "sources": _citations([p for p in parts[4:] if p], f"linje {i}, ")})
    return out


def enc_shortage(values: list[dict[str, Any]]) -> str:
    return "\n".join(" | ".join([_part(s["metric"]), _number(s.get("value")), _part(s.get("unit")),
                                 _part(s.get("year")), _part(s.get("note"))]
                                + [citation_text(c) for c in s.get("sources") or []]) for s in values or [])


def dec_shortage(text: str) -> list[dict[str, Any]]:
    out = []
    for i, line in enumerate(_lines(text), 1):
        parts = [p.strip() for p in split(line, "|")]
        if len(parts) < 5:
            raise CellError(f"linje {i}: skriv mål | værdi | enhed | år | note | kilde | kilde …")
        metric, value, unit, year, note = (unescape(p) for p in parts[:5])
        _check_length(metric, _length("shortage", "metric"), f"linje {i}, målet")
        _check_length(unit, _length("shortage", "unit"), f"linje {i}, enheden")
        try:
            year_value = dec_int(year)
        except CellError:
            raise CellError(f"linje {i}: året '{year}' skal være et heltal") from None
        out.append({"metric": metric, "value": _dec_number(value, f"linje {i}, værdien"), "unit": unit,
                    "year": year_value, "note": note,
                    "sources": _citations([p for p in parts[5:] if p], f"linje {i}, ")})
    return out
