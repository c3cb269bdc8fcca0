"""What the profession page shows at national size (issue 20, part 4): the tasks the group holds summarised by
category with counts and listed a page at a time (filter by category, search within), and the take-overs counted
by fit and verdict with short lists and a paged full list of one fit.

The page's own parameters (beside the who-may context of kb.whomay.service.parse_context):
``category`` (clinical, administrative, coordination), ``q`` (text in the title), ``page`` (of the held tasks),
``fit`` (one fit's full take-over list) and ``fit_page``. A malformed value is a 400 with a Danish message.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext

from kb.catalogue import held
from kb.catalogue.takeover_view import FITS, TakeoverView
from kb.models import Profession
from kb.models.enums import TASK_CATEGORIES
from kb.rules import Result, TaskFact

# The seed's largest list (the nurses' 150 tasks) fits on one page; the nurses' 16,000 at national size take 82.
HELD_PER_PAGE = 200
# A fit with at most this many take-overs is listed whole; a longer one shows its first TAKEOVER_SHORT and links
# to its full list, TAKEOVER_PER_PAGE a page.
TAKEOVER_WHOLE = 100
TAKEOVER_SHORT = 20
TAKEOVER_PER_PAGE = 100
MAX_PAGE = 10**6


class BadListArgs(ValueError):
    """A page parameter that cannot be read (the message is Danish, for the 400 page)."""


@dataclass(frozen=True)
class ListArgs:
    category: str | None = None
    q: str = ""
    page: int = 1
    fit: str | None = None
    fit_page: int = 1


def _page_number(args, name: str) -> int:
    raw = (args.get(name) or "").strip()
    if not raw:
        return 1
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_PAGE:
        raise BadListArgs(gettext("'%(name)s' skal være et sidetal fra 1 (fik '%(value)s').", name=name,
                                  value=raw[:40]))
    return int(raw)


def parse_list_args(args) -> ListArgs:
    category = (args.get("category") or "").strip() or None
    if category is not None and category not in TASK_CATEGORIES:
        raise BadListArgs(gettext("'category' skal være en af %(values)s.", values=", ".join(TASK_CATEGORIES)))
    fit = (args.get("fit") or "").strip() or None
    if fit is not None and fit not in FITS:
        raise BadListArgs(gettext("'fit' skal være en af %(values)s.", values=", ".join(FITS)))
    return ListArgs(category=category, q=(args.get("q") or "").strip()[:held.SEARCH_MAX],
                    page=_page_number(args, "page"), fit=fit, fit_page=_page_number(args, "fit_page"))


def _pages(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


@dataclass(frozen=True)
class FitGroup:
    fit: str
    count: int
    items: list[tuple[TaskFact, Result]]

    @property
    def shortened(self) -> bool:
        return len(self.items) < self.count


@dataclass(frozen=True)
class ProfessionPage:
    args: ListArgs
    categories: list[tuple[str, int]]  # every held task, by category
    held_total: int  # the held tasks in all
    rows: list[held.HeldRow]  # this page of the held tasks matching the filter
    matching: int  # how many match the filter
    page: int
    pages: int
    takeover: TakeoverView
    fit_groups: list[FitGroup]  # the short lists, or the one fit asked for, a page of it
    fit_page: int
    fit_pages: int

    @property
    def first_shown(self) -> int:
        return (self.page - 1) * HELD_PER_PAGE + 1 if self.rows else 0

    @property
    def last_shown(self) -> int:
        return self.first_shown + len(self.rows) - 1 if self.rows else 0


def build(profession: Profession, takeover: TakeoverView, args: ListArgs,
          setting_id: int | None = None) -> ProfessionPage:
    """The page's lists; with ``setting_id`` (the context's setting) only the held tasks that apply there, as in the
    role description and the export."""
    categories = held.category_counts(profession.id, setting_id=setting_id)
    if args.q:
        matching = held.held_count(profession.id, args.category, args.q, setting_id)
    else:  # the counts by category say it: one query fewer
        matching = sum(n for c, n in categories if args.category in (None, c))
    pages = _pages(matching, HELD_PER_PAGE)
    page = min(args.page, pages)  # past the last page: the last
    rows = held.held_rows(profession.id, args.category, args.q, HELD_PER_PAGE, (page - 1) * HELD_PER_PAGE, setting_id)
    fit_page, fit_pages = 1, 1
    if args.fit is not None:  # one fit's full list, a page at a time
        count = takeover.fit_count(args.fit)
        fit_pages = _pages(count, TAKEOVER_PER_PAGE)
        fit_page = min(args.fit_page, fit_pages)
        groups = [FitGroup(args.fit, count, takeover.page(args.fit, (fit_page - 1) * TAKEOVER_PER_PAGE,
                                                          TAKEOVER_PER_PAGE))] if count else []
    else:
        groups = [FitGroup(fit, n, takeover.page(fit, 0, n if n <= TAKEOVER_WHOLE else TAKEOVER_SHORT))
                  for fit, n in takeover.by_fit()]
    return ProfessionPage(args=args, categories=categories, held_total=sum(n for _, n in categories), rows=rows,
                          matching=matching, page=page, pages=pages, takeover=takeover, fit_groups=groups,
                          fit_page=fit_page, fit_pages=fit_pages)
