"""The task sheet (opgaveark): the who-may matrix on 1–3 pages.

The realistic takers (kb.whomay.service.Matrix.best: may, and can with at most oplæring or a course) are printed in
full — verdict, fit, training, the reports behind it, conditions and reasons —; everyone else is in one table
(verdict, fit, training, note numbers), the groups with the same answer on one row. Every distinct condition and
reason is printed once, as a numbered note: the first time a best taker's block names it, or else in the notes under
the table; later mentions give its number only. The engine's texts name the group they are about ("…; Portør kan
kun udføre den som medhjælp ved delegation"), so in a note the group's own name becomes "faggruppen": one note then
serves every row.
Nothing here decides who may do what; this module only arranges kb.whomay.service's answer for print.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from kb import models as m
from kb.catalogue import queries
from kb.i18n import localized
from kb.rules import Context, ProvisionRef, Result
from kb.whomay.service import Difference, Matrix, differences, matrix_by_slug

# The engine's reason texts are Danish; the note puts this word where the text names the row's own group.
OWN_GROUP = "faggruppen"
CONDITION = "condition"  # a Note's kind for a condition; the others are kb.rules' reason kinds


@dataclass(frozen=True)
class Note:
    """One condition or reason, numbered in the order the sheet first prints it."""

    number: int
    kind: str  # condition | legal | organisational | competence
    text: str
    provision: ProvisionRef | None = None


@dataclass(frozen=True)
class Entry:
    """One profession's result on the sheet with its notes: ``new`` are printed here in full, ``seen`` were printed
    earlier (their numbers only); ``numbers`` are all of them, conditions first."""

    result: Result
    new: tuple[Note, ...]
    seen: tuple[int, ...]
    numbers: tuple[int, ...]

    @property
    def new_conditions(self) -> tuple[Note, ...]:
        return tuple(n for n in self.new if n.kind == CONDITION)

    @property
    def new_reasons(self) -> tuple[Note, ...]:
        return tuple(n for n in self.new if n.kind != CONDITION)


def own_name_masked(text: str, name: str) -> str:
    """``text`` with the last whole-word mention of the group's own ``name`` replaced by "faggruppen" (the engine
    names the reserving group first and the group judged last: "… for Læge, som Speciallæge hører til")."""
    if not name:
        return text
    matches = list(re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text))
    if not matches:
        return text
    last = matches[-1]
    word = OWN_GROUP.capitalize() if last.start() == 0 else OWN_GROUP
    return text[:last.start()] + word + text[last.end():]


@dataclass
class Notes:
    """The sheet's numbered notes, each distinct (kind, text, provision) once."""

    by_key: dict[tuple, Note] = field(default_factory=dict)
    printed: set[int] = field(default_factory=set)

    def _note(self, kind: str, text: str, provision: ProvisionRef | None) -> Note:
        key = (kind, text, provision.slug if provision else None)
        note = self.by_key.get(key)
        if note is None:
            note = self.by_key[key] = Note(len(self.by_key) + 1, kind, text, provision)
        return note

    def entry(self, result: Result, name: str, in_full: bool) -> Entry:
        """The result's notes; with ``in_full`` the ones not printed yet are printed in this entry."""
        notes = [self._note(CONDITION, own_name_masked(c, name), None) for c in result.conditions]
        notes += [self._note(r.kind, own_name_masked(r.text, name), r.provision) for r in result.reasons]
        notes = list({n.number: n for n in notes}.values())
        new = tuple(n for n in notes if n.number not in self.printed) if in_full else ()
        self.printed.update(n.number for n in new)
        seen = tuple(n.number for n in notes if in_full and n not in new)
        return Entry(result=result, new=new, seen=seen, numbers=tuple(n.number for n in notes))

    def remaining(self) -> list[Note]:
        """The notes no best taker's block printed: listed under the table."""
        return [n for n in self.by_key.values() if n.number not in self.printed]


@dataclass(frozen=True)
class RestRow:
    """Groups outside the best takers with the same answer — verdict, fit, training and notes — on one row."""

    professions: tuple[str, ...]
    result: Result  # the first group's; the others' differ only in the profession
    numbers: tuple[int, ...]

    @property
    def ranges(self) -> str:
        """The note numbers with runs shortened: 5–14, 16."""
        return number_ranges(self.numbers)


def number_ranges(numbers) -> str:
    out: list[str] = []
    for n in sorted(set(numbers)):
        if out and out[-1][1] == n - 1:
            out[-1] = (out[-1][0], n)
        else:
            out.append((n, n))
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in out)


def rest_rows(entries: list[Entry]) -> list[RestRow]:
    """One row per distinct answer, in the matrix's order of its first group."""
    rows: dict[tuple, list[Entry]] = {}
    for e in entries:
        r = e.result
        key = (r.verdict, r.fit, r.training.effort, r.training.hours, e.numbers)
        rows.setdefault(key, []).append(e)
    return [RestRow(professions=tuple(e.result.profession for e in group), result=group[0].result,
                    numbers=group[0].numbers) for group in rows.values()]


@dataclass
class TaskSheet:
    task: m.Task
    matrix: Matrix
    setting: m.Setting | None
    stamp: object  # kb.pdf.service.KnowledgeStamp
    drafts: int
    best: list[Entry]
    rest: list[RestRow]
    notes: list[Note]
    differences: list[Difference]
    setting_names: dict[str, str] = field(default_factory=dict)

    @staticmethod
    def ranges(numbers) -> str:
        return number_ranges(numbers)

    @property
    def rest_count(self) -> int:
        return sum(len(row.professions) for row in self.rest)

    @property
    def printed_in_best(self) -> int:
        """How many notes the best takers' blocks print (they are numbered 1…n, before the table's)."""
        return sum(len(e.new) for e in self.best)


def build(slug: str, context: Context, setting, stamp, drafts: int) -> TaskSheet | None:
    task = queries.task_by_slug(slug)
    if task is None or task.status != "published":
        return None
    matrix = matrix_by_slug(slug, context)
    notes = Notes()
    best_results = matrix.best()
    best = [notes.entry(r, matrix.name(r.profession), in_full=True) for r in best_results]
    shown = {r.profession for r in best_results}
    rest = rest_rows([notes.entry(r, matrix.name(r.profession), in_full=False) for r in matrix.results
                      if r.profession not in shown])
    return TaskSheet(task=task, matrix=matrix, setting=setting, stamp=stamp, drafts=drafts, best=best, rest=rest,
                     notes=notes.remaining(), differences=differences(matrix),
                     setting_names={s.slug: localized(s) for s in queries.settings()})
