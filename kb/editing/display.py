"""Documents shown to people: field labels (taken from the kind's form), values as readable lines, and diffs in
which list items that were removed or added are marked one by one."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from flask_babel import gettext
from wtforms.fields.core import UnboundField

from kb.editing.forms.task import COMPLEXITY_LABELS, LEVEL_LABELS
from kb.knowledge.history import diff
from kb.models.enums import EVIDENCE_LABELS
from kb.editing.registry import form_class


def _unbound(kind: str, key: str) -> UnboundField | None:
    cls = form_class(kind)
    if cls is None:
        return None
    field = getattr(cls, getattr(cls, "field_aliases", {}).get(key, key), None)
    return field if isinstance(field, UnboundField) else None


def field_label(kind: str, key: str) -> str:
    """The label the kind's form gives a document field (the field name when there is no form for it)."""
    unbound = _unbound(kind, key)
    if unbound is not None:
        label = unbound.kwargs.get("label")
        if label is None and unbound.args and not isinstance(unbound.args[0], UnboundField):
            label = unbound.args[0]
        if label:
            return str(label)
    return key


def choice_labels(kind: str, key: str) -> dict[str, str]:
    """For a field with fixed options (effect, category, …): value → the option's label."""
    unbound = _unbound(kind, key)
    choices = unbound.kwargs.get("choices") if unbound is not None else None
    out = {}
    for choice in choices or []:
        value, label = (choice[0], choice[1]) if isinstance(choice, tuple) else (choice.value, choice.label)
        if value:
            out[value] = str(label)
    return out


def _citation(c: dict[str, Any]) -> str:
    if c.get("document"):
        lines = c.get("lines") or [None, None]
        text = gettext("%(doc)s linje %(a)s–%(b)s", doc=c["document"], a=lines[0], b=lines[1])
    elif c.get("provision"):
        text = gettext("bestemmelse %(slug)s", slug=c["provision"])
    else:
        text = c.get("url") or ""
    return f"{text} — {c['note']}" if c.get("note") else text


def _item(value: Any) -> str:
    """One list item on one line."""
    if isinstance(value, dict):
        if set(value) <= {"document", "lines", "provision", "url", "note"}:
            return _citation(value)
        if set(value) == {"competence", "level", "complexity"}:  # a task's requirement
            text = f"{value['competence']} ({str(LEVEL_LABELS.get(value['level'], value['level'])).lower()}"
            if value.get("complexity"):
                text += f", {str(COMPLEXITY_LABELS.get(value['complexity'], value['complexity'])).lower()}"
            return text + ")"
        if {"taker", "summary", "sources"} <= set(value):  # evidence of a proposal or practice
            who = value["taker"] + (f" ← {value['from']}" if value.get("from") else "")
            kind = EVIDENCE_LABELS.get(value.get("kind"), value.get("kind"))
            return f"{who} ({kind}): {value['summary']} [{'; '.join(_citation(c) for c in value['sources'])}]"
        parts = []
        for key, v in value.items():
            if v in (None, "", [], False):
                continue
            if isinstance(v, list):
                v = "; ".join(_item(x) for x in v)
            parts.append(f"{key}: {v}")
        return " · ".join(parts)
    return _scalar(value)


def _scalar(value: Any) -> str:
    if value is True:
        return gettext("Ja")
    if value is False:
        return gettext("Nej")
    return "" if value is None else str(value)


@dataclass(frozen=True)
class Line:
    text: str
    mark: str = ""  # "removed" | "added" | ""


@dataclass(frozen=True)
class FieldDiff:
    field: str
    label: str
    before: list[Line]
    after: list[Line]


def lines(value: Any, labels: dict[str, str] | None = None) -> list[str]:
    if value is None or value == "" or value == []:
        return []
    if isinstance(value, list):
        return [_item(v) for v in value]
    if labels and isinstance(value, str) and value in labels:
        return [labels[value]]
    return [_scalar(value)]


def field_diffs(kind: str, before: Optional[dict[str, Any]], after: dict[str, Any]) -> list[FieldDiff]:
    """The changed fields; in lists the items only on one side are marked removed / added."""
    out = []
    for change in diff(before, after):
        labels = choice_labels(kind, change.field)
        old, new = lines(change.before, labels), lines(change.after, labels)
        if old == new:  # None, "" and [] all read as empty
            continue
        if isinstance(change.before, list) or isinstance(change.after, list):
            in_new, in_old = set(new), set(old)
            before_lines = [Line(t, "" if t in in_new else "removed") for t in old]
            after_lines = [Line(t, "" if t in in_old else "added") for t in new]
        else:
            before_lines = [Line(t, "removed") for t in old]
            after_lines = [Line(t, "added") for t in new]
        out.append(FieldDiff(change.field, field_label(kind, change.field), before_lines, after_lines))
    return out
