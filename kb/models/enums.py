"""Enumerated values of the domain, with Danish labels. Stored as strings guarded by CHECK constraints."""

TASK_CATEGORIES = ("administrative", "clinical", "coordination")
CATEGORY_LABELS = {
    "administrative": "Administrative opgaver og forefaldende arbejde",
    "clinical": "Afgrænsede kliniske opgaver",
    "coordination": "Koordinering af den kliniske opgaveløsning",
}
TASK_STATUSES = ("draft", "published")
REQUIREMENT_LEVELS = ("required", "desirable")  # påkrævet | ønskelig
COMPLEXITIES = ("uncomplicated", "complex")  # ukompliceret | kompleks patient
COMPETENCE_KINDS = ("knowledge", "skill")
PROVISION_EFFECTS = ("reserves", "never_delegable", "requires_written_instruction", "other")
EFFECT_LABELS = {
    "reserves": "Forbeholder opgaven bestemte faggrupper",
    "never_delegable": "Kan aldrig delegeres",
    "requires_written_instruction": "Kræver skriftlig instruks",
    "other": "Anden bestemmelse",
}
RULE_KINDS = ("legal", "organisational")
KIND_LABELS = {"legal": "Lovgivning", "organisational": "Organisatorisk (aftale/lokal instruks)"}
RULE_EFFECTS = ("allow", "deny", "conditions")
EVIDENCE_KINDS = ("proposal", "practice", "pilot", "evaluation")
EVIDENCE_LABELS = {"proposal": "Forslag", "practice": "Praksis", "pilot": "Forsøg", "evaluation": "Evaluering"}
SHORTAGE_LEVELS = ("none", "low", "moderate", "high", "unknown")
SHORTAGE_LABELS = {"none": "Ingen mangel", "low": "Lille mangel", "moderate": "Nogen mangel",
                   "high": "Stor mangel", "unknown": "Ukendt"}
TERM_KINDS = ("synonym", "abbreviation")
ROLES = ("reader", "planner", "editor", "reviewer", "admin")
REVISION_STATUSES = ("draft", "submitted", "published", "rejected")
