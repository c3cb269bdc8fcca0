"""The shortlist (kb/rules/shortlist.py) ranks takers exactly as asking the engine about every taker would."""
from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kb.rules import Verdict, explain, rank, shiftable, shortlist, takers_for, who_may
from tests.strategies.rules import RULES, contexts, knowledges, profession_lists, tasks


def _reference(holder, task_list, profs, context, knowledge, limit):
    """The plain way: every taker's full verdict from the engine, ranked, only the realistic ones (allowed, fit
    recommended or trainable) kept."""
    takers = takers_for(holder, profs)
    found = []
    for task in task_list:
        if holder.slug not in task.holders:
            continue
        results = [r for r in who_may(task, takers, context, knowledge) if r.fit in ("recommended", "trainable")]
        assert all(r.verdict is not Verdict.NOT_ALLOWED for r in results)
        if results:
            found.append((task, rank(results, profs)[:limit]))
    found.sort(key=lambda item: (item[1][0].legal != "independent", item[1][0].fit != "recommended",
                                 item[0].title, item[0].slug))
    return found


@st.composite
def catalogues(draw):
    profs = draw(profession_lists())
    holder = draw(st.sampled_from(profs))
    task_list = [replace(t, slug=f"t{n}", title=draw(st.sampled_from(["A", "B", "C"])),
                         holders=t.holders | ({holder.slug} if draw(st.booleans()) else set()))
                 for n, t in enumerate(draw(st.lists(tasks(), min_size=1, max_size=6)))]
    return holder, task_list, profs


@pytest.mark.slow  # a deep differential Hypothesis run
@RULES
@given(catalogues(), contexts, knowledges, st.integers(1, 6))
def test_shortlist_gives_the_engines_ranking_and_verdicts(catalogue, context, knowledge, limit):
    holder, task_list, profs = catalogue
    expected = _reference(holder, task_list, profs, context, knowledge, limit)
    short = shortlist(holder, task_list, profs, context, knowledge, limit)
    assert [(s.task.slug, s.takers) for s in short] == \
        [(t.slug, tuple((r.profession, r.verdict, r.fit) for r in results)) for t, results in expected]
    assert explain(short, profs, context, knowledge) == expected
    assert shiftable(holder, task_list, profs, context, knowledge, limit) == expected
