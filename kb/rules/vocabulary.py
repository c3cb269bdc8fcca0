"""The domain's words, defined once: the engine's facts, the database's CHECK constraints (kb/models/enums.py adds
the Danish labels) and the seed schema (kb/knowledge/schema.py) all take their values from here.

Plain tuples, in the order they are shown; stdlib only, like the rest of the engine.
"""
from __future__ import annotations

# What a provision does to who may perform a task (forbeholdt virksomhed, aldrig delegerbar, skriftlig instruks).
PROVISION_EFFECTS = ("reserves", "never_delegable", "requires_written_instruction", "other")
# Law, or an agreement / local instruction (organisatorisk) — kept visibly apart.
KINDS = ("legal", "organisational")
# What an explicit rule says; "delegation" is a særlig hjemmel to act as medhjælp on a never-delegable task.
RULE_EFFECTS = ("allow", "deny", "conditions", "delegation")
REQUIREMENT_LEVELS = ("required", "desirable")  # påkrævet | ønskelig
COMPLEXITIES = ("uncomplicated", "complex")  # ukompliceret | kompleks patient
SHORTAGE_LEVELS = ("none", "low", "moderate", "high", "unknown")
# How scarce a group is, for ranking takers (the scarcer, the later: do not move work onto another scarce group).
SHORTAGE_ORDER: dict[str, int] = {"none": 0, "unknown": 0, "low": 1, "moderate": 2, "high": 3}
TASK_CATEGORIES = ("administrative", "clinical", "coordination")
EVIDENCE_KINDS = ("proposal", "practice", "pilot", "evaluation")
COMPETENCE_KINDS = ("knowledge", "skill")
# The who-may verdicts, best first (kb.rules.verdict.Verdict has them as an enum).
VERDICTS = ("independent", "independent_after_training", "delegation", "delegation_after_training", "not_allowed")
# How a competence gap is closed (issue 19), smallest first: nothing to close, on-the-job training (oplæring), a
# course (kursus), or only a further or different education (uddannelse).
TRAINING_EFFORTS = ("none", "oplæring", "kursus", "uddannelse")
# What closes a competence for a group whose basic education fits (a competence's curated training).
COMPETENCE_TRAINING = TRAINING_EFFORTS[1:]
# Can the group realistically take the task (kan), beside whether it may (må): best first; None when not allowed.
FITS = ("recommended", "trainable", "requires_education")
# The legal answer alone, without the competence gap.
LEGAL_ANSWERS = ("independent", "delegation", "not_allowed")
