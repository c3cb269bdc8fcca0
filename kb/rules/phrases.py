"""What the engine says, as codes with parameters: the Danish text is the rendering, other languages translate it.

A :class:`Phrase` *is* its Danish text (a ``str``), so everything that stores, compares, joins or prints conditions
and reasons keeps working unchanged; beside the text it carries a ``code`` (a key of :data:`TEXTS`) and its
``params``. A page in another language renders the same phrase with :func:`render`, passing a translation function
(Babel's gettext, whose msgids are the Danish templates below) and a function that names a profession, competence or
organisation in that language. The engine stays a library: no Flask, no Babel here.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable


def N_(text: str) -> str:
    """Marks a template for message extraction (Babel's default keywords include N_); translation happens later."""
    return text


TEXTS: dict[str, str] = {
    # verdict reasons: the law and agreements
    "legal_excludes": N_("Lovgivningen udelukker, at %(profession)s udfører opgaven"),
    "never_delegable": N_("Opgaven må aldrig delegeres til en medhjælp"),
    "org_denies": N_("%(org)s: %(profession)s må ikke udføre opgaven"),
    "reserved_outside": N_("Opgaven hører under forbeholdt virksomhed for %(groups)s, som %(profession)s ikke hører til"),
    "reserved_member": N_("Opgaven hører under forbeholdt virksomhed for %(groups)s, som %(profession)s hører til"),
    "reserved_special": N_("Opgaven hører under forbeholdt virksomhed for %(groups)s, men %(profession)s har særlig "
                           "lovhjemmel"),
    "reserved_delegation": N_("Opgaven hører under forbeholdt virksomhed for %(groups)s; %(profession)s kan kun udføre "
                              "den som medhjælp ved delegation"),
    "role_delegation": N_("En autoriseret sundhedsperson kan lade en medhjælp udføre forbeholdt virksomhed (konkret "
                          "delegation eller rammedelegation)"),
    "role_ramme_instruction": N_("Rammedelegation kræver skriftlige instrukser"),
    "role_duties": N_("Den delegerende har ansvar for udvælgelse, instruktion og tilsyn med medhjælpen"),
    "unreserved": N_("Opgaven er ikke forbeholdt en bestemt faggruppe"),
    "law_requires_instruction": N_("Lovgivningen kræver skriftlig instruks for opgaven"),
    "org_requires_instruction": N_("%(org)s kræver skriftlig instruks for opgaven"),
    "special_allow": N_("Særligt lovhjemlet: %(profession)s må udføre opgaven selvstændigt"),
    "special_delegation": N_("Særligt lovhjemlet: %(profession)s må udføre opgaven som medhjælp ved delegation, selv om "
                             "den ellers ikke kan delegeres"),
    "legal_conditions": N_("Lovgivningen stiller betingelser for, at %(profession)s udfører opgaven"),
    "org_allows": N_("%(org)s tillader, at %(profession)s udfører opgaven"),
    "org_allows_reserved": N_("%(org)s tillader, at %(profession)s udfører opgaven – det ophæver ikke lovens forbehold, "
                              "så kun som medhjælp ved delegation"),
    "org_conditions": N_("%(org)s stiller betingelser for, at %(profession)s udfører opgaven"),
    "noted": N_("%(text)s. %(note)s"),
    "org": N_("Aftale eller lokal regel (organisatorisk, ikke lov)"),
    "org_at": N_("Aftale eller lokal regel (organisatorisk, ikke lov), %(organisation)s"),
    # competence reasons
    "missing_competence": N_("Mangler kompetencen: %(competence)s"),
    "desirable_competence": N_("Ønskelig kompetence: %(competence)s"),
    "advice": N_("Råd (ændrer ikke den lovlige ret): %(advice)s"),
    # conditions
    "delegation_only": N_("Kun som medhjælp ved delegation fra %(groups)s (konkret delegation eller rammedelegation)"),
    "ramme_needs_instruction": N_("Rammedelegation kræver skriftlig instruks"),
    "delegator_duties": N_("Den delegerende har ansvar for udvælgelse, instruktion og tilsyn"),
    "delegation_within_scope": N_("Delegation fra %(groups)s kun inden for deres egen ret: %(scope)s"),
    "written_instruction": N_("Skriftlig instruks påkrævet"),
    "only_uncomplicated": N_("Gælder kun ved ukomplicerede forløb"),
    "only_complex": N_("Gælder kun ved komplekse forløb"),
}
# The words that join a list of names ("A, B og C"); translated like the templates.
JOIN_WORDS = {"og": N_("og"), "eller": N_("eller")}


@dataclass(frozen=True)
class Name:
    """A named thing in a phrase: ``kind`` profession | competence | organisation, its slug and its Danish name."""

    kind: str
    slug: str
    text: str


@dataclass(frozen=True)
class Names:
    """Names joined with ``word`` ("og" or "eller"): "Læge, Jordemoder eller Sygeplejerske"."""

    items: tuple[Name, ...]
    word: str


Translate = Callable[[str], str]
NameOf = Callable[[Name], str]


def _same(text: str) -> str:
    return text


def _danish_name(name: Name) -> str:
    return name.text


def render(phrase: Any, translate: Translate = _same, name_of: NameOf = _danish_name) -> str:
    """The phrase in a language: templates through ``translate``, names through ``name_of``. A plain ``str`` (text
    from the knowledge base, e.g. a rule's condition or a provision's scope) is returned as it is."""
    if not isinstance(phrase, Phrase):
        return str(phrase)
    values = {key: _value(v, translate, name_of) for key, v in phrase.params}
    return translate(TEXTS[phrase.code]) % values


def _value(value: Any, translate: Translate, name_of: NameOf) -> str:
    if isinstance(value, Name):
        return name_of(value)
    if isinstance(value, Names):
        names = [name_of(n) for n in value.items]
        if len(names) <= 1:
            return "".join(names)
        return f"{', '.join(names[:-1])} {translate(JOIN_WORDS[value.word])} {names[-1]}"
    return render(value, translate, name_of)


class Phrase(str):
    """A condition or reason text: the Danish rendering as the string itself, with ``code`` and ``params``."""

    code: str
    params: tuple[tuple[str, Any], ...]

    def __new__(cls, code: str, **params: Any) -> Phrase:
        if code not in TEXTS:
            raise KeyError(f"unknown phrase code {code!r}")
        items = tuple(sorted(params.items()))
        values = {key: _value(v, _same, _danish_name) for key, v in items}
        self = super().__new__(cls, TEXTS[code] % values)
        self.code, self.params = code, items
        return self

    def __reduce__(self):  # kept values are pickled: rebuild from the code, not from the text
        return (_restore, (self.code, self.params))

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape: code and parameters (names as their slugs and Danish text), beside the rendered text."""
        return {"code": self.code, "params": {key: _param_dict(v) for key, v in self.params}}


def _restore(code: str, params: Iterable[tuple[str, Any]]) -> Phrase:
    return Phrase(code, **dict(params))


def _param_dict(value: Any) -> Any:
    if isinstance(value, Name):
        return {"kind": value.kind, "slug": value.slug, "name": value.text}
    if isinstance(value, Names):
        return {"join": value.word, "names": [_param_dict(n) for n in value.items]}
    if isinstance(value, Phrase):
        return {"text": str(value), **value.to_dict()}
    return str(value)


def noted(phrase: Phrase, note: str) -> Phrase:
    """A phrase followed by a rule's note (data text, not translated), when there is one."""
    note = (note or "").strip()
    return Phrase("noted", text=phrase, note=note) if note else phrase
