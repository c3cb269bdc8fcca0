"""A decimal field that reads numbers the way people type them (decimaltal med komma).

"2,5" and "2.5" both mean 2.5. On Danish pages "1.924" is read as one thousand nine hundred and twenty-four
(a thousands point), so a range check such as 1–80 hours per FTE rejects it instead of silently storing 1.924;
on English pages "1,924" is read the same way. The field renders as type="text" with inputmode="decimal" because
<input type=number> lets some browsers turn "2,5" into 25 or empty the field. Values shown back use the page's
decimal separator; on an error the text is kept exactly as typed.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from flask_babel import get_locale, lazy_gettext
from wtforms import DecimalField

_GROUPED = {"da": re.compile(r"^-?\d{1,3}(\.\d{3})+$"), "en": re.compile(r"^-?\d{1,3}(,\d{3})+$")}


def _lang() -> str:
    try:
        loc = get_locale()
    except Exception:  # outside a request (tests building forms directly): the app's default language
        loc = None
    return "en" if loc is not None and loc.language == "en" else "da"


def parse_decimal(text: str, lang: str = "da") -> Decimal:
    """Parse "2,5", "2.5", "1.924" (da) / "1,924" (en); raise ValueError when it is not a number."""
    s = text.strip().replace("\u00a0", "").replace(" ", "")
    if not s:
        raise ValueError("empty")
    if _GROUPED[lang].match(s):
        s = s.replace("." if lang == "da" else ",", "")
    elif "," in s and "." in s:
        # both present: the last one is the decimal mark, the other groups thousands
        dec = "," if s.rfind(",") > s.rfind(".") else "."
        s = s.replace("." if dec == "," else ",", "").replace(",", ".")
    else:
        s = s.replace(",", ".")
    if not re.fullmatch(r"-?\d+(\.\d+)?|-?\.\d+", s):
        raise ValueError(text)
    try:
        return Decimal(s)
    except InvalidOperation as exc:  # pragma: no cover - the regex already guards this
        raise ValueError(text) from exc


class LocaleDecimalField(DecimalField):
    """DecimalField that accepts a decimal comma and shows the page's separator (see module docstring)."""

    def __init__(self, label=None, validators=None, places=1, invalid_message=None, **kwargs):
        render_kw = {"inputmode": "decimal", "autocomplete": "off", **(kwargs.pop("render_kw", None) or {})}
        super().__init__(label, validators, places=places, render_kw=render_kw, **kwargs)
        self.invalid_message = invalid_message or lazy_gettext("Skriv et tal, fx 2,5.")

    def __call__(self, **kwargs):
        kwargs.setdefault("type", "text")
        return super().__call__(**kwargs)

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = valuelist[0]
        if text is None or not str(text).strip():
            self.data = None
            return
        try:
            self.data = parse_decimal(str(text), _lang())
        except ValueError:
            self.data = None
            raise ValueError(self.invalid_message) from None

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]  # as typed, also after an error
        if self.data is None:
            return ""
        d = Decimal(self.data)
        text = f"{d:f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text.replace(".", ",") if _lang() == "da" else text
