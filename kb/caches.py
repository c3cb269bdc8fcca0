"""Every per-process cache of derived knowledge, declared in one place: what it holds, keyed by what, how many.

All of them live in one layer (kb.knowledge_state.cached) and follow one rule: an entry is valid while the knowledge
token in the shared database is the one it was built under, so a change committed on any app server reaches every
server's next request, and nothing read inside a transaction with uncommitted knowledge changes is kept. A family
keeps its ``keep`` most recently used entries (the key includes the database, so a process serving one database
has them all for it); a value is built once per key even when many requests
miss at once (single-flight), and values are immutable (tuples, frozen dataclasses, read-only mappings), since every
request of the process shares them.

Not here, because they are not per-process: rendered PDFs are stored in the database under the same token
(kb/pdf/store.py), and HTTP answers carry an ETag made from it (kb/httpcache.py).

Add a family here before using it: ``cached`` refuses an undeclared one (tests/integration/test_cache_layer.py also
checks every call site).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Family:
    name: str
    holds: str
    key: str
    keep: int


FAMILIES: dict[str, Family] = {f.name: f for f in (
    Family("whomay.catalogue", "professions, competences, offers, organisations, delegation provisions (engine facts)",
           "—", keep=4),
    Family("whomay.lookups", "every provision, profession, competence, setting and organisation by id (the loader's "
                             "look-up tables)", "—", keep=4),
    Family("whomay.shortlist", "a group's ranked shortlist of tasks others may take over, for today's date (~20 MB "
                               "for nurses on a national catalogue)",
           "holder|setting|complexity|date|organisation|takers", keep=4),
    Family("whomay.shortlist.dated", "the same for another date than today: kept apart, so a client walking dates "
                                     "cannot push today's shortlists out", "as whomay.shortlist", keep=2),
    Family("whomay.takeover", "the tasks a group may take over, by verdict (the profession page and role PDF)",
           "profession|setting|complexity|date|organisation", keep=8),
    Family("whomay.takeover.dated", "the same for another date than today", "as whomay.takeover", keep=2),
    Family("whomay.reserved", "the tasks the law reserves to a group, with who else may do them (role description)",
           "profession|setting|complexity|date|organisation", keep=8),
    Family("whomay.reserved.dated", "the same for another date than today", "as whomay.reserved", keep=2),
    Family("whomay.verdicts", "every published task's verdict for one profession, by task id (the search page's "
                              "verdict facet; ~5 MB on a national catalogue)",
           "profession|setting|complexity|date|organisation", keep=8),
    Family("whomay.verdicts.dated", "the same for another date than today", "as whomay.verdicts", keep=2),
    Family("catalogue.task_article", "a task page's rendered article (who-may matrix, law, sources; ≤ ~150 kB on a "
                                     "national catalogue), and for anonymous readers without a session the whole "
                                     "page around it as bytes (~3 kB more)",
           "slug|setting|complexity|date|organisation|raw date|language", keep=256),
    Family("catalogue.takeover_view", "a group's take-overs grouped by fit for the profession page and its exports "
                                      "(references whomay.takeover's tuples; no copy)",
           "profession|setting|complexity|date|organisation", keep=8),
    Family("catalogue.takeover_view.dated", "the same for another date than today", "as catalogue.takeover_view",
           keep=2),
    Family("catalogue.held_counts", "the tasks a group holds, counted by category (profession page, role PDF)",
           "profession id|setting id", keep=32),
    Family("catalogue.held_first_page", "the first page of the tasks a group holds (the profession page)",
           "profession id|setting id|page size", keep=32),
    Family("search.vocabulary", "the search index's vocabulary and synonym table (query analysis)", "—", keep=4),
)}


def family(name: str) -> Family:
    try:
        return FAMILIES[name]
    except KeyError:
        raise KeyError(f"cache family {name!r} is not declared in kb/caches.py") from None
