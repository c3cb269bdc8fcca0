"""Enumerated values of the domain, with Danish labels. Stored as strings guarded by CHECK constraints.

The labels are lazy strings (Danish msgid, English from the catalogue), translated when rendered; call str() on
one to get the text in the current request's language.
"""
from flask_babel import lazy_gettext

from kb.rules.vocabulary import (  # the values, defined once; the labels are here
    COMPETENCE_KINDS, COMPETENCE_TRAINING, COMPLEXITIES, EVIDENCE_KINDS, PROVISION_EFFECTS, REQUIREMENT_LEVELS,
    RULE_EFFECTS, SHORTAGE_LEVELS, TASK_CATEGORIES, VERDICTS,
)
from kb.rules.vocabulary import KINDS as RULE_KINDS


CATEGORY_LABELS = {
    "administrative": lazy_gettext("Administrative opgaver og forefaldende arbejde"),
    "clinical": lazy_gettext("Afgrænsede kliniske opgaver"),
    "coordination": lazy_gettext("Koordinering af den kliniske opgaveløsning"),
}
TASK_STATUSES = ("draft", "published")
COMPLEXITY_LABELS = {"uncomplicated": lazy_gettext("Ukomplicerede forløb"),
                     "complex": lazy_gettext("Komplekse forløb")}
EFFECT_LABELS = {
    "reserves": lazy_gettext("Forbeholder opgaven bestemte faggrupper"),
    "never_delegable": lazy_gettext("Kan aldrig delegeres"),
    "requires_written_instruction": lazy_gettext("Kræver skriftlig instruks"),
    "other": lazy_gettext("Anden bestemmelse"),
}
KIND_LABELS = {"legal": lazy_gettext("Lovgivning"),
               "organisational": lazy_gettext("Organisatorisk (aftale/lokal instruks)")}
EVIDENCE_LABELS = {"proposal": lazy_gettext("Forslag"), "practice": lazy_gettext("Praksis"),
                   "pilot": lazy_gettext("Forsøg"), "evaluation": lazy_gettext("Evaluering")}
SHORTAGE_LABELS = {"none": lazy_gettext("Ingen mangel"), "low": lazy_gettext("Lille mangel"),
                   "moderate": lazy_gettext("Nogen mangel"), "high": lazy_gettext("Stor mangel"),
                   "unknown": lazy_gettext("Ukendt")}
TERM_KINDS = ("synonym", "abbreviation")
ROLES = ("reader", "planner", "editor", "reviewer", "admin")
REVISION_STATUSES = ("draft", "submitted", "published", "rejected")
OPEN_REVISION_STATUSES = ("draft", "submitted", "rejected")  # still being worked on or waiting for review
# The engine's verdicts (kb.rules.Verdict values); kb.rules keeps its own Danish label_da for the CLI.
VERDICT_LABELS = {
    "independent": lazy_gettext("Selvstændigt"),
    "independent_after_training": lazy_gettext("Selvstændigt efter oplæring"),
    "delegation": lazy_gettext("Ved delegation"),
    "delegation_after_training": lazy_gettext("Ved delegation efter oplæring"),
    "not_allowed": lazy_gettext("Må ikke"),
}
REASON_KIND_LABELS = {"legal": lazy_gettext("Lov"), "organisational": lazy_gettext("Organisatorisk"),
                      "competence": lazy_gettext("Kompetence")}
RULE_EFFECT_LABELS = {"allow": lazy_gettext("tilladt"), "deny": lazy_gettext("ikke tilladt"),
                      "conditions": lazy_gettext("betingelser"),
                      "delegation": lazy_gettext("som medhjælp (særlig hjemmel)")}
# Can the group realistically take the task (kan) — beside the verdict (må); kb.rules has FIT_LABELS_DA for the CLI.
FIT_LABELS = {"recommended": lazy_gettext("Anbefalet"), "trainable": lazy_gettext("Kan oplæres"),
              "requires_education": lazy_gettext("Kræver uddannelse")}
EFFORT_LABELS = {"none": lazy_gettext("Ingen oplæring"), "oplæring": lazy_gettext("Oplæring"),
                 "kursus": lazy_gettext("Kursus"), "uddannelse": lazy_gettext("Uddannelse")}
