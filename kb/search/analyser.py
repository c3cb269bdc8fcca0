"""The Danish text analyser behind search (pure Python: no Flask, no SQLAlchemy).

Text becomes normalised Snowball stems: lower case, NFC, stop words (stopord) dropped, æ/ø/å kept distinct — no
accent folding, so "for" never matches "før". Compounds (sammensatte ord) are split with the corpus's own
vocabulary, so *medicinhåndtering* also yields *medicin* and *håndtering*. A query is analysed against the index
vocabulary: ae/oe/aa spellings are tried as æ/ø/å (blodproeve → blodprøve), unknown words are split or corrected
to the nearest known stem (edit distance 1, or 2 for words of 8+ letters), and the result is a :class:`Query` of
groups, each group a set of alternatives that all backends render the same way.

A query is read in the words of whoever types it (issue 20, part 7): adjacent words whose joined form is a corpus
compound also match it (*ekko rum* → *ekkorum*, *rektal-termometre* → *rektaltermometre*); a single unknown
compound is split into known words however many parts it has (*telemetrivognsopfyldning*); question words, modal
verbs and English stop words (*hvem må*, *kan en*, *the*, *of*) never filter; and a word the corpus does not know
at all does not filter the words it does know.
"""
from __future__ import annotations

import re
import threading
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import product
from typing import Iterable, Mapping

import snowballstemmer

# re-exported: the index and the tests read the lists here
from .stopwords import ENGLISH_STOPWORDS, QUERY_STOPWORDS, QUESTION_WORDS, STOPWORDS  # noqa: F401

WORD_RE = re.compile(r"[^\W_]+")
MIN_PART = 3  # shortest compound part (sår in sårpleje)
MIN_COMPOUND = 6  # shortest word worth splitting
LINKS = ("s", "e")  # fugeelementer: sygdom-s-historik, blodprøve-tagning

MAX_JOIN = 3  # most adjacent query words joined into one compound

# A Snowball stemmer keeps the word it works on in the object: shared by a server's threads (gunicorn gthread), two
# stems at once corrupt each other (IndexError, wrong stems: the rare 500 on /search under load). One per thread.
_stemmers = threading.local()


def _stemmer() -> snowballstemmer.stemmer:
    found = getattr(_stemmers, "danish", None)
    if found is None:
        found = _stemmers.danish = snowballstemmer.stemmer("danish")
    return found


def normalise(text: str) -> str:
    """NFC and lower case; æ, ø, å and accents stay as they are."""
    return unicodedata.normalize("NFC", str(text)).lower()


def words(text: str) -> list[str]:
    """Normalised words, stop words included (hyphens, slashes and full stops separate words: spl. → spl)."""
    return WORD_RE.findall(normalise(text))


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """The Snowball Danish stem of one normalised word (blodprøverne → blodprøv)."""
    return _stemmer().stemWord(word)


def tokens(text: str) -> list[str]:
    """Stems of the words that are not stop words, in order."""
    return [stem(w) for w in words(text) if w not in STOPWORDS]


class Vocabulary:
    """What an index holds: stems with document frequencies (what query words are corrected and completed to)
    and the surface words of the corpus (what compounds are split into)."""

    def __init__(self, frequencies: Mapping[str, int] | Iterable[str] = (), words: Iterable[str] = ()):
        if not isinstance(frequencies, Mapping):
            frequencies = {t: 1 for t in frequencies}
        self.df: dict[str, int] = dict(frequencies)
        self.words: frozenset[str] = frozenset(words)
        self._by_length: dict[int, list[str]] = {}
        # Stems by letter pair, so a typo is compared only with stems that share enough pairs with it.
        self._by_bigram: dict[str, list[str]] = {}
        for token in sorted(self.df):
            self._by_length.setdefault(len(token), []).append(token)
            for pair in _bigrams(token):
                self._by_bigram.setdefault(pair, []).append(token)

    def __contains__(self, token: str) -> bool:
        return token in self.df

    def __len__(self) -> int:
        return len(self.df)

    def nearest(self, token: str, max_distance: int | None = None) -> list[str]:
        """Known stems closest to `token` within the allowed distance (0 for ≤ 3 letters, 1 up to 7, else 2)."""
        limit = typo_budget(token) if max_distance is None else max_distance
        if limit == 0:
            return []
        best, found = limit + 1, []
        for candidate in self._candidates(token, limit):
            d = edit_distance(token, candidate, best)
            if d < best:
                best, found = d, [candidate]
            elif d == best:
                found.append(candidate)
        return sorted(found, key=lambda t: (-self.df[t], t))[:3] if best <= limit else []

    def _candidates(self, token: str, limit: int) -> Iterable[str]:
        """Stems that can lie within `limit` edits of `token`: of a near length, and sharing at least
        |pairs(token)| − 3·limit distinct letter pairs with it (one edit breaks at most three of the token's
        pairs — a swap of neighbours does — so no stem within reach is left out). Checking every stem of a near
        length cost tens of milliseconds per typo on a national-size vocabulary (docs/benchmark.md)."""
        pairs = _bigrams(token)
        need = len(pairs) - 3 * limit
        lengths = range(len(token) - limit, len(token) + limit + 1)
        if need <= 0:
            return [c for length in lengths for c in self._by_length.get(length, ())]
        shared = Counter()
        for pair in pairs:
            shared.update(self._by_bigram.get(pair, ()))
        return [c for c, n in shared.items() if n >= need and len(c) in lengths]

    def completions(self, prefix: str, limit: int = 8) -> list[str]:
        """Known stems that start with `prefix`, most frequent first (for results as you type)."""
        if len(prefix) < 3:
            return []
        hits = [t for t in self.df if t.startswith(prefix) and t != prefix]
        return sorted(hits, key=lambda t: (-self.df[t], t))[:limit]


def _bigrams(token: str) -> frozenset[str]:
    return frozenset(token[i:i + 2] for i in range(len(token) - 1))


def typo_budget(token: str) -> int:
    """Edits allowed when correcting a word (or stem) of this length: 0 up to 3 letters, 1 up to 7, else 2."""
    return 0 if len(token) <= 3 else 1 if len(token) <= 7 else 2


def edit_distance(a: str, b: str, cutoff: int = 99) -> int:
    """Optimal string alignment distance (insert, delete, substitute, swap neighbours); stops early above cutoff."""
    if abs(len(a) - len(b)) > cutoff:
        return cutoff + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > cutoff:
            return cutoff + 1
        previous2, previous = previous, current
    return previous[-1]


def ascii_variants(word: str, limit: int = 4) -> list[str]:
    """Spellings of `word` with ae/oe/aa read as æ/ø/å (blodproeve → blodprøve), the word itself excluded."""
    parts = re.split(r"(ae|oe|aa)", word)
    digraphs = parts[1::2]
    if not digraphs or len(digraphs) > limit:
        return []
    letter = {"ae": "æ", "oe": "ø", "aa": "å"}
    variants = []
    for choice in product((False, True), repeat=len(digraphs)):
        if not any(choice):
            continue
        out = parts[0]
        for dg, swap, rest in zip(digraphs, choice, parts[2::2]):
            out += (letter[dg] if swap else dg) + rest
        variants.append(out)
    return sorted(variants, key=lambda v: len(v))  # most replacements first


def split_compound(word: str, known_words: Vocabulary | Iterable[str], depth: int = 2) -> list[tuple[str, ...]]:
    """Ways to read `word` as a compound of words the corpus uses on their own, each way a tuple of stems:
    medicinhåndtering → (medicin, håndtering); sygdomshistorik → (sygdom, historik) across the linking s."""
    known = known_words.words if isinstance(known_words, Vocabulary) else known_words
    if not isinstance(known, (set, frozenset)):
        known = frozenset(known)
    if len(word) < MIN_COMPOUND:
        return []
    splits: list[tuple[str, ...]] = []
    for i in range(MIN_PART, len(word) - MIN_PART + 1):
        head, tail = word[:i], word[i:]
        if head in STOPWORDS or tail in STOPWORDS:
            continue
        if head not in known:
            if not (head[-1] in LINKS and len(head) > MIN_PART and head[:-1] in known
                    and head[:-1] not in STOPWORDS):
                continue
            head = head[:-1]
        if tail in known:
            splits.append((stem(head), stem(tail)))
        elif depth > 1:
            splits.extend((stem(head), *rest) for rest in split_compound(tail, known, depth - 1)[:1])
    return list(dict.fromkeys(s for s in splits if len(set(s)) == len(s)))


def analyse_parts(text: str, vocabulary: Vocabulary | Iterable[str] | None = None) -> tuple[list[str], list[str]]:
    """(stems of the words, stems of compound parts the words do not already give) for one text."""
    stems = tokens(text)
    parts: list[str] = []
    if vocabulary is not None:
        seen = set(stems)
        for w in words(text):
            for part in (p for split in split_compound(w, vocabulary) for p in split):
                if part not in seen:
                    seen.add(part)
                    parts.append(part)
    return stems, parts


def analyse(text: str, vocabulary: Vocabulary | Iterable[str] | None = None) -> list[str]:
    """Index tokens for one text: the stems of its words, then compound parts the vocabulary knows."""
    stems, parts = analyse_parts(text, vocabulary)
    return stems + parts


@dataclass(frozen=True)
class Query:
    """An analysed query: every group must match (AND); a group matches when any alternative's stems all occur."""

    groups: tuple[tuple[tuple[str, ...], ...], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.groups)

    @property
    def stems(self) -> frozenset[str]:
        return frozenset(s for g in self.groups for alt in g for s in alt)

    def render(self, quote, and_: str, or_: str, any_group: bool = False) -> str:
        """The query in a backend's syntax: `quote` wraps one stem, `and_`/`or_` are its operators."""
        def alternative(alt: tuple[str, ...]) -> str:
            inner = f" {and_} ".join(quote(s) for s in alt)
            return f"({inner})" if len(alt) > 1 else inner

        rendered = ["(" + f" {or_} ".join(alternative(a) for a in g) + ")" for g in self.groups]
        return f" {or_ if any_group else and_} ".join(rendered)


def analyse_query(text: str, vocabulary: Vocabulary, complete_last: bool = False) -> Query:
    """Analyse what a user typed into groups of alternatives, using the index vocabulary (see module docstring)."""
    positions = [(i, w) for i, w in enumerate(words(text)) if w not in QUERY_STOPWORDS]
    if not positions:  # only question or stop words: keep what is not a Danish stop word, as typed
        positions = [(i, w) for i, w in enumerate(words(text)) if w not in STOPWORDS]
    groups: list[tuple[tuple[str, ...], ...]] = []
    known: list[bool] = []
    n = 0
    while n < len(positions):
        size, joined = _join(positions, n, vocabulary)
        last = n + size == len(positions)
        complete = complete_last and last
        parts = [_alternatives(w, vocabulary, complete=complete and k == size - 1)
                 for k, (_, w) in enumerate(positions[n:n + size])]
        if joined:
            alts = [joined] + [tuple(s for alt in combo for s in alt) for combo in product(*(p[:3] for p in parts))]
            if complete:
                alts += [(t,) for t in vocabulary.completions(joined[0])]
        else:
            alts = parts[0]
        groups.append(tuple(dict.fromkeys(a for a in alts if a)))
        known.append(any(all(s in vocabulary for s in alt) for alt in groups[-1]) or complete)
        n += size
    if any(known):  # a word the corpus does not know (and nothing near it) does not filter the ones it knows
        groups = [g for g, k in zip(groups, known) if k]
    return Query(tuple(g for g in groups if g))


def _join(positions: list[tuple[int, str]], n: int, vocabulary: Vocabulary) -> tuple[int, tuple[str, ...] | None]:
    """How many query words from `n` on read as one corpus compound when joined (ekko rum → ekkorum), and the
    compound's stem; (1, None) when none do. Only words next to each other in what was typed are joined."""
    for size in range(min(MAX_JOIN, len(positions) - n), 1, -1):
        chunk = positions[n:n + size]
        if chunk[-1][0] - chunk[0][0] != size - 1:
            continue
        joined = "".join(w for _, w in chunk)
        headed = "".join(stem(w) for _, w in chunk[:-1]) + chunk[-1][1]  # primære sektoren → primærsektoren
        for c in dict.fromkeys((joined, *ascii_variants(joined), headed)):
            # the compound's stem must reach into the last word: Snowball strips "lige", "igen", "ens" as endings,
            # so "går igen" joined stems to "går" — no compound
            reaches = len(stem(c)) - (len(c) - len(chunk[-1][1])) >= 2
            if reaches and (stem(c) in vocabulary or c in vocabulary.words):
                return size, (stem(c),)
    return 1, None


def _alternatives(word: str, vocabulary: Vocabulary, complete: bool) -> list[tuple[str, ...]]:
    candidates = [word, *ascii_variants(word)]
    alts: list[tuple[str, ...]] = []
    for c in candidates:
        if stem(c) in vocabulary:
            alts.append((stem(c),))
        alts.extend(split_compound(c, vocabulary)[:3])
    if complete:
        alts.extend((t,) for c in candidates for t in vocabulary.completions(stem(c)))
    if not alts:  # a one-letter slip first, then the word as a compound of known words, then two slips if long
        one = [(t,) for c in candidates for t in vocabulary.nearest(stem(c), min(1, typo_budget(stem(c))))]
        alts.extend(one[:3])
    if not alts:
        alts.extend(s for c in candidates for s in split_unknown(c, vocabulary)[:1])
    if not alts and typo_budget(word) > 1:  # the typed word's length counts, not its stem's (telefonen → telefon)
        alts.extend([(t,) for c in candidates for t in vocabulary.nearest(stem(c), 2)][:3])
    return alts or [(stem(word),)]


def split_unknown(word: str, vocabulary: Vocabulary, max_parts: int = 4) -> list[tuple[str, ...]]:
    """A word the vocabulary does not know read as a compound of parts it does, in as few parts as possible (up to
    `max_parts`): a part (four letters or more) is a corpus word or has a corpus stem (an inflected form:
    telemetrivogn from telemetrivognen), optionally followed by a linking s. Returns [] or one tuple of the parts'
    stems: telemetrivognsopfyldning → [(telemetrivogn, opfyldning)]. For queries; the index keeps split_compound."""
    if len(word) < MIN_COMPOUND or len(word) > 60:
        return []

    def part(piece: str) -> str | None:
        if len(piece) <= MIN_PART or piece in STOPWORDS:  # four letters at least: sortering is not sort + ing
            return None
        if piece in vocabulary.words or stem(piece) in vocabulary:
            return stem(piece)
        if piece[-1] == "s":  # the linking s (sygdoms-historik); a linking e is too rare to guess at here
            return part(piece[:-1])
        return None

    @lru_cache(maxsize=None)
    def best(start: int, left: int) -> tuple[str, ...] | None:
        if start == len(word):
            return ()
        if left == 0:
            return None
        found = None
        for end in range(len(word), start + MIN_PART, -1):  # longest part first
            head = part(word[start:end])
            rest = best(end, left - 1) if head else None
            if rest is not None and (found is None or 1 + len(rest) < len(found)):
                found = (head, *rest)
        return found

    split = best(0, max_parts)
    if not split or len(split) < 2 or len(set(split)) < len(split):
        return []
    return [split]


def highlight_spans(text: str, stems: Iterable[str], vocabulary: Vocabulary | None = None) -> list[tuple[int, int]]:
    """(start, end) of the words in `text` whose stem, or one of whose compound parts, is among `stems`."""
    wanted = frozenset(stems)
    spans = []
    if not wanted:
        return spans
    for m in WORD_RE.finditer(unicodedata.normalize("NFC", str(text))):
        w = m.group().lower()
        if w in STOPWORDS:
            continue
        hit = stem(w) in wanted or (vocabulary is not None and any(
            set(split) & wanted for split in split_compound(w, vocabulary)))
        if hit:
            spans.append(m.span())
    return spans


@dataclass
class SynonymTable:
    """Synonyms and abbreviations as data (term ↔ each equivalent), matched on stems: SSA ↔ social- og
    sundhedsassistent. Expansion is one hop from the text's own words, so SOSU → SSA does not make SSA → SSH."""

    links: dict[tuple[str, ...], set[tuple[str, ...]]] = field(default_factory=dict)

    @classmethod
    def from_entries(cls, entries: Iterable[tuple[str, Iterable[str]]]) -> SynonymTable:
        table = cls()
        for term, equivalents in entries:
            t = tuple(tokens(term))
            for eq in equivalents:
                e = tuple(tokens(eq))
                if t and e and t != e:
                    table.links.setdefault(t, set()).add(e)
                    table.links.setdefault(e, set()).add(t)
        return table

    @property
    def longest(self) -> int:
        return max((len(k) for k in self.links), default=0)

    def expand(self, stems: list[str]) -> list[str]:
        """Stems of the phrases equivalent to phrases found in `stems` (not already there)."""
        present, extra = set(stems), []
        for size in range(1, self.longest + 1):
            for i in range(len(stems) - size + 1):
                for phrase in self.links.get(tuple(stems[i:i + size]), ()):
                    extra.extend(s for s in phrase if s not in present and s not in extra)
        return extra
