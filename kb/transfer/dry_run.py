"""The import's dry run (tørkørsel): a file of one kind → what it would add and change, field by field, and every
error by row and column, nothing written.

Every row becomes a document — columns the file leaves out keep the record's current values, a new slug makes a new
record — and is checked with the same rules as the seed and the editors' forms (kb.knowledge.checks: fields, then
references against the database and the file itself). The commit (kb/transfer/commit.py) runs it again.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from sqlalchemy.orm import Session

from kb.knowledge.checks import bundle_of, validate
from kb.knowledge.bundle import Origin
from kb.knowledge.documents import DocumentError, records, to_document
from kb.knowledge.history import diff
from kb.transfer.cells import CellError
from kb.transfer.columns import COLUMNS, FILE_NAMES, cell_text, header
from kb.transfer.export import TRANSFER_KINDS
from kb.transfer.sheets import FileProblem, Sheet, read_sheet

Progress = Callable[[str, int, int], None]  # (step, done, total)
REPORT_EVERY = 50  # rows between progress reports


def _quiet(step: str, done: int, total: int) -> None:
    pass


@dataclass(frozen=True)
class RowProblem:
    """One error in the file: the spreadsheet's row number (header = 1) and the column's header name."""

    row: int
    column: str
    message: str


@dataclass
class Planned:
    row: int
    slug: str
    before: Optional[dict[str, Any]]  # None: a new record
    after: dict[str, Any]


@dataclass
class Plan:
    kind: str
    filename: str
    rows: int = 0
    additions: list[Planned] = field(default_factory=list)
    changes: list[Planned] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowProblem] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    versions: dict[str, Optional[int]] = field(default_factory=dict)  # slug → version_id the dry run saw

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_errors

    def summary(self) -> dict[str, Any]:
        """JSON-able: what the dry-run page shows (values as they stand in the spreadsheet)."""
        def title(doc: dict[str, Any]) -> str:
            return str(doc.get("title") or doc.get("name") or doc.get("slug") or "")

        additions = [{"row": p.row, "slug": p.slug, "title": title(p.after),
                      "fields": [{"field": k, "after": cell_text(self.kind, k, v)} for k, v in p.after.items()
                                 if k != "slug" and v not in (None, "", [])]} for p in self.additions]
        changes = [{"row": p.row, "slug": p.slug, "title": title(p.after),
                    "fields": [{"field": c.field, "before": cell_text(self.kind, c.field, c.before),
                                "after": cell_text(self.kind, c.field, c.after)} for c in diff(p.before, p.after)]}
                   for p in self.changes]
        return {"kind": self.kind, "filename": self.filename, "rows": self.rows, "additions": additions,
                "changes": changes, "unchanged": self.unchanged, "file_errors": self.file_errors,
                "errors": [{"row": e.row, "column": e.column, "message": e.message}
                           for e in sorted(self.errors, key=lambda e: (e.row, e.column))]}


def letter(index: int) -> str:
    """The spreadsheet's column letter for a 0-based index (0 → A, 26 → AA)."""
    out, index = "", index + 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def _check_header(kind: str, sheet: Sheet) -> list[str]:
    head = list(sheet.header)
    while head and not head[-1]:
        head.pop()
    sheet.header = head
    known = set(header(kind))
    problems = []
    blank = [letter(i) for i, name in enumerate(head) if not name]
    if blank:
        problems.append(f"Kolonne {', '.join(blank)} har ingen overskrift i række 1.")
    unknown = [name for name in head if name and name not in known]
    if unknown:
        hint = next((FILE_NAMES[k] for k in TRANSFER_KINDS if k != kind and set(unknown) <= set(header(k))), None)
        text = (f"Ukendte kolonner: {', '.join(unknown)}. "
                f"Kolonnerne for {FILE_NAMES[kind]} er: {', '.join(header(kind))}.")
        problems.append(text + (f" Filen ligner {hint}; vælg den slags poster." if hint else ""))
    counts = Counter(name for name in head if name)  # linear: list.count per column was quadratic
    twice = sorted(name for name, n in counts.items() if n > 1)
    if twice:
        problems.append(f"Kolonnen {', '.join(twice)} står flere gange.")
    if "slug" not in head:
        problems.append("Kolonnen 'slug' mangler; den udpeger hver post.")
    return problems


def _where(field_name: str, message: str, kind: str) -> tuple[str, str]:
    """A document error's field path as the column and a readable detail: sources.0.document → ("sources",
    "nr. 1 (document): …"); evidence.1.sources.0 → ("evidence", "nr. 2, sources nr. 1: …")."""
    parts = [p for p in field_name.split(".") if p] if field_name else []
    if not parts:  # a check of the whole record: the column its message names, else slug
        column = next((c for c in header(kind) if f"({c})" in message or f" {c} " in f" {message} "), "slug")
        return column, message
    groups: list[str] = []
    pending = ""  # a nested list's name, waiting for its item number
    for i, part in enumerate(parts[1:], 1):
        if part.isdigit():
            groups.append(f"{pending} nr. {int(part) + 1}".strip())
            pending = ""
        elif i + 1 < len(parts) and parts[i + 1].isdigit():
            pending = part
        elif groups:
            groups[-1] += f" ({part})"
        else:
            groups.append(f"({part})")
    detail = ", ".join(groups)
    return parts[0], f"{detail}: {message}" if detail else message


def _row_of(origin: Any) -> int:
    ref = origin.file if isinstance(origin, Origin) else origin
    return int(ref) if str(ref).isdigit() else 0


def plan_import(session: Session, kind: str, filename: str, data: bytes, progress: Progress = _quiet) -> Plan:
    """The dry run: nothing is written (the session is only read)."""
    plan = Plan(kind, filename)
    progress("read", 0, 1)
    try:
        sheet = read_sheet(filename, data)
    except FileProblem as exc:
        plan.file_errors.append(str(exc))
        return plan
    progress("read", 1, 1)
    plan.file_errors = _check_header(kind, sheet)
    if plan.file_errors:
        return plan
    columns = {c.name: c for c in COLUMNS[kind]}
    head = sheet.header
    bad_cells: dict[int, set[str]] = {}  # row → columns already reported wrong
    for number, index, message in sheet.problems:
        column = head[index] if index < len(head) else letter(index)
        plan.errors.append(RowProblem(number, column, message))
        bad_cells.setdefault(number, set()).add(column)
    current = records(session, kind)
    seen: dict[str, int] = {}
    failed: set[str] = set()
    candidates: list[Planned] = []
    rows = [(n, cells) for n, cells in sheet.rows if any(c.strip() for c in cells)]
    plan.rows = len(rows)
    for done, (number, cells) in enumerate(rows, 1):
        if done % REPORT_EVERY == 0:
            progress("rows", done, len(rows))
        fields: dict[str, Any] = {}
        bad = bad_cells.setdefault(number, set())
        for i, text in enumerate(cells[len(head):], len(head)):
            if text.strip():
                plan.errors.append(RowProblem(number, letter(i), "værdi i en kolonne uden overskrift"))
                bad.add(letter(i))
        for i, name in enumerate(head):
            try:
                fields[name] = columns[name].decode(cells[i] if i < len(cells) else "")
            except CellError as exc:
                plan.errors.append(RowProblem(number, name, str(exc)))
                bad.add(name)
        slug = fields.get("slug") or ""
        if not slug:
            plan.errors.append(RowProblem(number, "slug", "skal udfyldes"))
            continue
        if slug in seen:
            plan.errors.append(RowProblem(number, "slug", f"'{slug}' står også i række {seen[slug]}"))
            continue
        seen[slug] = number
        record = current.get(slug)
        plan.versions[slug] = getattr(record, "version_id", None)
        before = None if record is None else to_document(kind, record)
        after = {**before, **fields} if before else {k: v for k, v in fields.items() if k not in bad}
        if bad:
            failed.add(slug)
        if before is not None and before == after and not bad:
            plan.unchanged += 1
            continue
        candidates.append(Planned(number, slug, before, after))
    progress("rows", len(rows), len(rows))
    _validate(session, plan, candidates, bad_cells, failed, progress)
    return plan


def _validate(session: Session, plan: Plan, candidates: list[Planned], bad_cells: dict[int, set[str]],
              failed: set[str], progress: Progress) -> None:
    kind = plan.kind

    def add(errors, row: Optional[int] = None) -> None:
        for e in errors:
            number = row if row is not None else _row_of(e.origin)
            column, message = _where(e.field_name, e.message, kind)
            if column not in bad_cells.get(number, set()):  # already said why that cell is wrong
                plan.errors.append(RowProblem(number, column, message))

    valid: list[Planned] = []
    for done, p in enumerate(candidates, 1):
        if done % REPORT_EVERY == 0:
            progress("check", done, len(candidates))
        try:
            validate(kind, p.after, str(p.row))
        except DocumentError as exc:
            add(exc.errors, p.row)
            failed.add(p.slug)
            continue
        if p.slug not in failed:
            valid.append(p)
    progress("check", len(candidates), len(candidates))
    try:  # references, against the database and the file itself (rows that failed count as known)
        referable = {kind: failed} if kind in ("task", "profession", "competence") else {}
        bundle_of(session, [(kind, p.after, str(p.row)) for p in valid], extra_known=referable)
    except DocumentError as exc:
        add(exc.errors)
    # What the rows without errors would do (shown beside the errors, so the user sees the rest is right)
    wrong = {e.row for e in plan.errors}
    plan.additions = [p for p in valid if p.before is None and p.row not in wrong]
    plan.changes = [p for p in valid if p.before is not None and p.row not in wrong]
