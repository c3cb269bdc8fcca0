"""The engine is a library (issue 18): `import kb.rules` loads no web or ORM module, and the domain's words are
defined once (kb/rules/vocabulary.py) and used by the engine, the models and the seed schema."""
from __future__ import annotations

from tests.helpers import run_with_imports_blocked



def test_the_engine_imports_with_the_web_and_orm_modules_blocked():
    result = run_with_imports_blocked("""
        import kb.rules
        from kb.rules import Context, ProfessionFact, ProvisionFact, TaskFact, who_may
        task = TaskFact("t", "T", "clinical", provisions=(ProvisionFact("p", "A", "§ 1", "P", "https://x", "reserves",
                                                                        frozenset({"laege"})),))
        print(who_may(task, [ProfessionFact("laege", "Læge"), ProfessionFact("ssa", "SSA")], Context())[1].verdict)
    """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "delegation"


def test_the_vocabulary_is_the_one_the_models_schema_and_engine_use():
    from typing import get_args

    from kb.models import enums
    from kb.rules import Verdict, facts, vocabulary
    from kb.knowledge import schema

    assert tuple(v.value for v in Verdict) == vocabulary.VERDICTS
    assert set(enums.VERDICT_LABELS) == set(vocabulary.VERDICTS)
    assert set(enums.EFFECT_LABELS) == set(vocabulary.PROVISION_EFFECTS) == facts.PROVISION_EFFECTS
    assert set(enums.RULE_EFFECT_LABELS) == set(vocabulary.RULE_EFFECTS) == facts.RULE_EFFECTS
    assert set(enums.CATEGORY_LABELS) == set(vocabulary.TASK_CATEGORIES)
    assert set(enums.COMPLEXITY_LABELS) == set(vocabulary.COMPLEXITIES) == facts.COMPLEXITIES
    assert set(enums.KIND_LABELS) == set(vocabulary.KINDS) == facts.KINDS
    assert set(enums.SHORTAGE_LABELS) == set(vocabulary.SHORTAGE_LEVELS) == facts.SHORTAGE_LEVELS
    fields = schema.ProvisionIn.model_fields
    assert get_args(fields["effect"].annotation) == vocabulary.PROVISION_EFFECTS
    assert get_args(schema.RuleIn.model_fields["effect"].annotation) == vocabulary.RULE_EFFECTS
    assert get_args(schema.Task.model_fields["category"].annotation) == vocabulary.TASK_CATEGORIES
