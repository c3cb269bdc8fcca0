"""Danish-like words for the synthetic catalogue and the benchmark's query mix.

Task titles are built the way Danish clinical language builds them: a compound of an object and an action
(sår + pleje → sårpleje, blodprøve + tagning → blodprøvetagning), with a linking s after heads that take one
(ernæring → ernæringsplan), or the same idea written out (pleje af sår). Descriptions use the parts on their own as
well, so the app's compound splitter meets real compounds whose parts the corpus also knows — as in the seed.
"""
from __future__ import annotations

import random
import re
import unicodedata

# Objects of care and administration: what a task is done to or with.
OBJECTS = (
    "medicin", "blodprøve", "sår", "kateter", "blære", "sonde", "stomi", "ilt", "dræn", "bandage", "insulin",
    "væske", "journal", "recept", "vaccine", "injektion", "infusion", "urin", "afføring", "ernæring", "hud", "fod",
    "tand", "mund", "øje", "øre", "lunge", "hjerte", "nyre", "sekret", "luftvej", "kanyle", "pumpe", "dosis",
    "smerte", "blodtryk", "blodsukker", "temperatur", "puls", "vægt", "hygiejne", "seng", "hjælpemiddel",
    "kompression", "forbinding", "tryksår", "skinne", "gips", "epikrise", "henvisning", "tolk", "pårørende",
    "borger", "patient", "medicinliste", "prøvesvar", "røntgen", "scanning", "ekg", "inhalation", "drop",
    "sutur", "clips", "plaster", "lejring", "mobilitet", "søvn", "kost", "kvalme", "delir", "demens", "diabetes",
)
# Actions (heads of the compounds). Those ending in -ing/-tion/-hed take a linking s when they lead a compound.
ACTIONS = (
    "håndtering", "pleje", "dokumentation", "tagning", "skift", "anlæggelse", "fjernelse", "kontrol", "måling",
    "vurdering", "observation", "dosering", "dispensering", "administration", "planlægning", "koordinering",
    "registrering", "bestilling", "behandling", "vejledning", "undervisning", "opfølgning", "screening",
    "skylning", "sugning", "rensning", "justering", "aflæsning", "gennemgang", "overvågning", "instruktion",
)
# Where and for whom: the qualifiers that make titles many and distinct.
PLACES = (
    "i hjemmet", "på sengeafsnit", "i ambulatoriet", "i akutmodtagelsen", "på plejecenter", "i psykiatrien",
    "i almen praksis", "i ambulancen", "om natten", "i weekenden", "ved udskrivelse", "ved indlæggelse",
    "på intensiv", "på operationsgangen", "i genoptræningen", "i sundhedshuset", "på opvågningen",
)
PEOPLE = (
    "ældre borgere", "børn", "gravide", "demensramte", "kronisk syge", "terminale patienter", "nyfødte",
    "patienter med diabetes", "patienter med KOL", "borgere med misbrug", "psykisk sårbare", "multisyge",
    "patienter i isolation", "unge", "udviklingshæmmede", "dialysepatienter", "kræftpatienter",
)
CONDITIONS = (
    "efter operation", "ved infektion", "ved feber", "ved faldrisiko", "ved nedsat syn", "efter fald",
    "ved blødning", "ved smerter", "ved forvirring", "ved dehydrering", "efter apopleksi", "ved hjertesvigt",
)
ADJECTIVES = ("akut", "planlagt", "kompleks", "ukompliceret", "daglig", "ugentlig", "tværfaglig", "elektronisk",
              "forebyggende", "palliativ", "klinisk", "ambulant")
LINKING_S = ("ing", "tion", "hed", "dom", "skab", "sel")
# Suffixes that make Danish-like profession names and education offers.
PROFESSION_HEADS = ("assistent", "koordinator", "tekniker", "terapeut", "konsulent", "vejleder", "medarbejder",
                    "sygeplejerske", "specialist", "hjælper")
EDUCATION_KINDS = ("Kursus i", "Efteruddannelse i", "Diplommodul i", "AMU-kursus i", "Masterclass i")


def compound(modifier: str, head: str) -> str:
    """Join two Danish words into one, with the linking s where Danish puts one
    (behandling + plan → behandlingsplan)."""
    link = "s" if modifier.endswith(LINKING_S) and not head.startswith("s") else ""
    return modifier + link + head


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def slugify(text: str, limit: int = 100) -> str:
    """æ→ae, ø→oe, å→aa like the seed's slugs; other accents dropped; words joined by hyphens."""
    text = text.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:limit].rstrip("-")


def abbreviation(words: list[str]) -> str:
    """Initials in capitals, the way wards abbreviate (medicin + dispensering → MD)."""
    return "".join(w[0] for w in words if w).upper()


def inflections(word: str) -> list[str]:
    """Regular Danish noun forms: definite, plural, definite plural, genitive (the stemmer should fold them)."""
    if word.endswith("e"):
        return [word + "n", word + "r", word + "rne", word + "ns"]
    if word.endswith("ing") or word.endswith("tion"):
        return [word + "en", word + "er", word + "erne", word + "ens"]
    return [word + "en", word + "er", word + "erne", word + "s"]


def typo(word: str, rng: random.Random) -> str:
    """One slip of the finger: swap two neighbours, drop or double a letter (the typo budget allows one or two)."""
    if len(word) < 6:
        return word + word[-1]
    i = rng.randrange(1, len(word) - 2)
    kind = rng.choice(("swap", "drop", "double"))
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == "drop":
        return word[:i] + word[i + 1:]
    return word[:i] + word[i] + word[i:]


def ascii_spelling(word: str) -> str:
    """How a keyboard without æøå writes it (blodprøve → blodproeve)."""
    return word.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")


class Zipf:
    """Draw ranks 0..n-1 with weight 1/(rank+1)^s: a few items are very common, most are rare."""

    def __init__(self, n: int, s: float, rng: random.Random):
        self.rng, total, acc = rng, 0.0, []
        for rank in range(n):
            total += 1.0 / (rank + 1) ** s
            acc.append(total)
        self.cumulative = acc

    def draw(self) -> int:
        return self.rng.choices(range(len(self.cumulative)), cum_weights=self.cumulative)[0]

    def distinct(self, k: int) -> list[int]:
        """k different ranks (fewer if there are not that many)."""
        k = min(k, len(self.cumulative))
        seen: dict[int, None] = {}
        while len(seen) < k:
            seen[self.draw()] = None
        return list(seen)
