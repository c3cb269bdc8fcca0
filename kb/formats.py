"""Numbers, dates and times as a Danish (or English) reader writes them, through Flask-Babel.

Danish pages show ``2.010`` and ``26,4`` (thousands separator, decimal comma), dates as ``2. december 2026`` and
times in Europe/Copenhagen (the database keeps naive UTC; Flask-Babel converts it with BABEL_DEFAULT_TIMEZONE).
Templates use the filters registered by :func:`init_app`: ``number``, ``decimal``, ``date_long``, ``datetime_local``.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask import Flask
from flask_babel import format_date, format_datetime, format_decimal

TIMEZONE = "Europe/Copenhagen"


def number(value: int | float | Decimal | None) -> str:
    """A whole number with the language's thousands separator: 2.010 (da), 2,010 (en). None → ''."""
    if value is None:
        return ""
    return format_decimal(round(value), format="#,##0")


def decimal(value: int | float | Decimal | None, digits: int = 1) -> str:
    """A number with ``digits`` decimals, rounded half up (so 5,25 → 5,3, as a reader expects): 26,4 (da)."""
    if value is None:
        return ""
    quantum = Decimal(1).scaleb(-digits)
    rounded = Decimal(str(value)).quantize(quantum, rounding="ROUND_HALF_UP")
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(rounded, format=pattern)


def date_long(value: dt.date | dt.datetime | None) -> str:
    """2. december 2026 (da), December 2, 2026 (en)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return format_date(_local(value), "long")
    return format_date(value, "long")


def datetime_local(value: dt.datetime | None) -> str:
    """A stored (naive UTC) time in Copenhagen: 2. december 2026 kl. 01.57 (da)."""
    if value is None:
        return ""
    return format_datetime(value, "d. MMMM y 'kl.' HH.mm") if _danish() else format_datetime(value, "d MMMM y, HH:mm")


def _danish() -> bool:
    from kb.i18n import current_language

    return current_language() == "da"


def _local(value: dt.datetime) -> dt.datetime:
    from flask_babel import to_user_timezone

    return to_user_timezone(value)


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(number=number, decimal=decimal, date_long=date_long, datetime_local=datetime_local)
