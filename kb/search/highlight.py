"""Highlight query matches with <mark>, escaping everything else (markupsafe; never |safe on user input)."""
from __future__ import annotations

import unicodedata
from typing import Iterable

from markupsafe import Markup, escape

from kb.search.analyser import Query, SynonymTable, Vocabulary, highlight_spans

SNIPPET = 260


def match_stems(query: Query, synonyms: SynonymTable | None = None) -> frozenset[str]:
    """The stems a result may show as matches: the query's own, plus the phrases its synonyms stand for."""
    stems = set(query.stems)
    if synonyms is not None:
        for group in query.groups:
            for alt in group:
                stems.update(synonyms.expand(list(alt)))
    return frozenset(stems)


def highlight(text: str, stems: Iterable[str], vocabulary: Vocabulary | None = None,
              limit: int | None = None) -> Markup:
    """`text` escaped, with matched words wrapped in <mark>; with `limit`, a snippet around the first match.

    The text is shown composed (NFC), as the analyser reads it: highlight_spans counts positions in the composed
    text, so on decomposed input (ø typed as o + combining stroke) the marks would otherwise land beside the words."""
    text = unicodedata.normalize("NFC", str(text or ""))
    spans = highlight_spans(text, stems, vocabulary)
    start, end, prefix, suffix = 0, len(text), "", ""
    if limit is not None and len(text) > limit:
        first = spans[0][0] if spans else 0
        start = max(0, min(first - limit // 3, len(text) - limit))
        start = text.rfind(" ", 0, start) + 1 if start else 0
        end = start + limit
        end = text.find(" ", end) if text.find(" ", end) != -1 else len(text)
        prefix, suffix = ("… " if start else ""), (" …" if end < len(text) else "")
    out, pos = [escape(prefix)], start
    for a, b in spans:
        if a < start or b > end:
            continue
        out += [escape(text[pos:a]), Markup("<mark>"), escape(text[a:b]), Markup("</mark>")]
        pos = b
    out += [escape(text[pos:end]), escape(suffix)]
    return Markup("").join(out)
