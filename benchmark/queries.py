"""The Danish query mix: what department leaders type, in the proportions the search has to cope with.

Built from the same word stock as the synthetic titles (so most queries have answers) plus the catalogue's own
abbreviations, with real-life queries from the seed's domain mixed in. Seeded, so two runs ask the same things.
"""
from __future__ import annotations

import random

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kb import models as m
from benchmark import vocabulary as v

# Queries people type against the real seed (words, inflections, phrases, abbreviations, folded letters).
EVERYDAY = ("blodprøver", "håndtering af medicin", "PVK", "SOSU", "medicinhandtering", "sårpleje", "epikrise",
            "kateter", "insulin", "blodsukker måling", "EWS", "journalføring", "injektioner", "ilt", "sondeernæring")
# Share of each kind in the mix (they add up to 1).
MIX = (("word", 0.20), ("inflection", 0.15), ("compound", 0.20), ("phrase", 0.10), ("abbreviation", 0.10),
       ("typo", 0.15), ("ascii", 0.05), ("everyday", 0.05))


def _abbreviations(session: Session) -> list[str]:
    return list(session.scalars(sa.select(m.Synonym.term).where(m.Synonym.kind == "abbreviation")
                                .order_by(m.Synonym.term)))


def query_mix(session: Session, count: int, seed: int) -> list[tuple[str, str]]:
    """`count` (kind, query) pairs in the MIX proportions, shuffled."""
    rng = random.Random(seed + 1)
    abbreviations = _abbreviations(session) or ["PVK"]
    with_letters = [o for o in v.OBJECTS + v.ACTIONS if any(c in o for c in "æøå")]

    def one(kind: str) -> str:
        obj, action = rng.choice(v.OBJECTS), rng.choice(v.ACTIONS)
        if kind == "word":
            return rng.choice((obj, action))
        if kind == "inflection":
            return rng.choice(v.inflections(obj))
        if kind == "compound":
            return v.compound(obj, action)
        if kind == "phrase":
            return f"{action} af {obj}"
        if kind == "abbreviation":
            return rng.choice(abbreviations)
        if kind == "typo":
            return v.typo(v.compound(obj, action), rng)
        if kind == "ascii":
            return v.ascii_spelling(v.compound(rng.choice(with_letters), action))
        return rng.choice(EVERYDAY)

    out: list[tuple[str, str]] = []
    for kind, share in MIX:
        out += [(kind, one(kind)) for _ in range(round(count * share))]
    while len(out) < count:
        out.append(("word", one("word")))
    rng.shuffle(out)
    return out[:count]
