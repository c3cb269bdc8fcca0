"""What `kb check-seed` reports about the law in the seed beyond its validity (legal-audit 2026-12, § 5 and § 7).

Not errors — the seed is valid — but the list an editor works through: legal provisions not yet verified against
an official text, acts whose reference lacks their number, source reports without a public address, and tasks whose
title names something the law governs (a prescription, a vaccine, a biopsy, coercion, …) but that cite none of the
provisions the legal review says apply. Pure: reads a SeedBundle, touches no database.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from kb.knowledge.bundle import SeedBundle

# Words in a task's title → the provisions (any one of them) the legal review says govern such a task.
LEGAL_HINTS: tuple[tuple[re.Pattern[str], frozenset[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), frozenset(slugs), why) for pattern, slugs, why in (
        (r"\b(recept(?!ion)|ordiner)", {"aut-74-2-4", "bek1219-undtaget-2", "recept-14", "vej9079-ordination"},
         "receptpligtige lægemidler (§ 74, stk. 2) og recepter (BEK 1219)"),
        (r"vaccin", {"aut-74-2-4", "aut-54-4-2", "aut-55-4-12"}, "vacciner er receptpligtige (§ 74, stk. 2)"),
        (r"injektion|insulin|give medicin|administrere medicin|medicinrobot",
         {"aut-74-2-4", "vej9079-administration"}, "at give receptpligtig medicin (§ 74, stk. 2; VEJ 9079)"),
        (r"biops", {"aut-74-2-1"}, "en biopsi er et operativt indgreb (§ 74, stk. 2)"),
        (r"bedøv|anæstesi|analgesi", {"aut-74-2-2", "jm-analgesi", "aut-65-4"}, "bedøvelse (§ 74, stk. 2)"),
        (r"fødselshjælp|\bfødsler\b", {"aut-74-2-3", "aut-55-4-5", "aut-55-3"}, "fødselshjælp (§ 74, stk. 2; § 55)"),
        (r"(udfærdige|udarbejde|udstede|skrive)\b.*(attest|lægeerklæring|erklæring til)", {"bek1219-undtaget-1", "aut-20-1", "bek1219-undtaget-3"},
         "erklæringer til offentligt brug (§ 20; BEK 1219)"),
        (r"tvangs|beslut\w* om tvang|fiksering|bæltefiks", {"psyk-tvang", "psyk-tvangsindlaeggelse", "psyk-tvangstilbageholdelse",
                                       "psyk-tvangsbehandling", "psyk-fiksering", "tvb-beslutning",
                                       "bek1219-undtaget-6", "sundl-alarm-pejling"}, "tvang (psykiatriloven m.fl.)"),
        (r"\bFMK\b|fælles medicinkort", {"aut-74-2-4", "vej9079-ordination"}, "ordinationer i FMK er lægens"),
        (r"ligsyn|dødsattest|hjernedød", {"sundl-ligsyn", "sundl-doedsattest", "sundl-doedens-konstatering",
                                          "bek1219-undtaget-4", "bek1219-undtaget-3", "bek1219-undtaget-5"},
         "dødens konstatering, ligsyn og dødsattest (sundhedsloven)"),
        (r"manipulation", {"aut-spinal-manipulation"}, "rygmanipulation (forbeholdt fire faggrupper)"),
    ))

NUMBERED = re.compile(r"\b(LBK|BEK|VEJ|CIR|lov|Lov)\b.*\bnr\.?\s*\d", re.IGNORECASE)


@dataclass
class LegalReview:
    verified: int = 0
    legal: int = 0
    unverified: list[tuple[str, str]] = field(default_factory=list)  # (provision slug, act short name + reference)
    acts_without_number: list[str] = field(default_factory=list)
    reports_without_url: list[str] = field(default_factory=list)
    tasks_missing_provision: list[tuple[str, str]] = field(default_factory=list)  # (task slug, why)

    @property
    def share_verified(self) -> float:
        return self.verified / self.legal if self.legal else 1.0


def review(bundle: SeedBundle) -> LegalReview:
    out = LegalReview()
    for entry in bundle.entries("legal_acts"):
        act = entry.data
        if act.kind == "legal" and not NUMBERED.search(act.reference or ""):
            out.acts_without_number.append(act.slug)
        for p in act.provisions:
            if (p.kind or act.kind) != "legal":
                continue
            out.legal += 1
            if act.verified if p.verified is None else p.verified:
                out.verified += 1
            else:
                out.unverified.append((p.slug, f"{act.short_name} {p.reference}"))
    out.reports_without_url = [e.data.slug for e in bundle.entries("sources") if not e.data.url]
    for entry in bundle.entries("tasks"):
        task = entry.data
        if task.status != "published":
            continue
        cited = set(task.provisions)
        for pattern, expected, why in LEGAL_HINTS:
            if pattern.search(task.title) and not cited & expected:
                out.tasks_missing_provision.append((task.slug, why))
    return out
