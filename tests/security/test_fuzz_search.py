"""Fuzzing search with arbitrary Unicode: the analyser (kb/search/analyser.py) and the highlighter never raise and
keep their promises — stems are plain word characters (all the backends' quoting relies on), highlighting escapes
everything and marks only whole matching words — and /search (page and results partial, with any facets) and
/api/v1/tasks?q= answer on both backends, never with a server error."""
from __future__ import annotations

import html
import re
import unicodedata

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kb.search.analyser import (
    STOPWORDS, WORD_RE, Vocabulary, analyse, analyse_query, highlight_spans, normalise, split_compound, stem, tokens,
    words,
)
from kb.search.highlight import highlight

SAMPLE = ("Tage venøs blodprøve på voksne patienter. Medicinhåndtering og dosisdispensering i hjemmeplejen. "
          "Anlægge perifert venekateter (PVK). Sårpleje af tryksår. Social- og sundhedsassistent, SOSU.")
WORDS = words(SAMPLE)
VOCABULARY = Vocabulary({t: 1 + i % 3 for i, t in enumerate(tokens(SAMPLE))}, WORDS)
DANISH = st.sampled_from(WORDS + ["blodproeve", "medicinhandtering", "saarpleje", "ﬁlm", "İstanbul", "ß", "Å"])
# Danish words, words in any script, and any text; sometimes decomposed (NFD/NFKD), as some keyboards send it.
TEXT = st.tuples(st.lists(st.one_of(DANISH, st.text(max_size=12)), max_size=12).map(" ".join),
                 st.sampled_from([None, "NFD", "NFKD", "NFC"])).map(
    lambda t: unicodedata.normalize(t[1], t[0]) if t[1] else t[0])
PURE = settings(max_examples=200, deadline=None, database=None)


@PURE
@given(text=st.one_of(TEXT, st.text(max_size=300)), complete=st.booleans())
@example(text="\x00\ufeff\u202e\U0001F489" * 50, complete=True)
@example(text="a" * 5000, complete=False)
@example(text="ǅ\u0345ΐ\ufb03" * 20, complete=True)
def test_analyser_never_fails_and_stems_are_word_characters(text, complete):
    assert all(WORD_RE.fullmatch(w) for w in words(text))
    for token in tokens(text) + analyse(text, VOCABULARY):
        assert token and WORD_RE.fullmatch(token), token
    query = analyse_query(text, VOCABULARY, complete_last=complete)
    for s in query.stems:
        assert WORD_RE.fullmatch(s), s  # what the FTS5 and tsquery quoting is built for
    assert len(query.groups) <= len([w for w in words(text) if w not in STOPWORDS])
    for w in words(text)[:5]:
        for split in split_compound(w, VOCABULARY):
            assert all(split)


@PURE
@given(text=TEXT, query=TEXT, limit=st.one_of(st.none(), st.integers(1, 80)))
@example(text="Tage venøs blodprøve <script>alert(1)</script>", query="blodprøve", limit=None)
@example(text=unicodedata.normalize("NFD", "Blodprøve, sårpleje og håndtering: blodprøve"),
         query="blodprøve sårpleje", limit=None)
def test_highlight_escapes_everything_and_marks_whole_matching_words(text, query, limit):
    stems = analyse_query(query, VOCABULARY).stems | frozenset(tokens(text)[:1])
    out = str(highlight(text, stems, VOCABULARY, limit))
    bare = re.sub(r"</?mark>", "", out)
    assert "<" not in bare and ">" not in bare, out  # no markup but the marks
    shown = html.unescape(bare)
    if limit is None:
        assert shown == unicodedata.normalize("NFC", text)  # the whole text, as typed (composed)
    for marked in re.findall(r"<mark>(.*?)</mark>", out, re.S):
        word = html.unescape(marked)
        assert WORD_RE.fullmatch(word), (word, out)  # a whole word, not a piece of one
        lowered = normalise(word)
        assert stem(lowered) in stems or any(set(s) & stems for s in split_compound(lowered, VOCABULARY)), word
    if limit is None:
        assert len(re.findall("<mark>", out)) == len(highlight_spans(text, stems, VOCABULARY))


WEB = settings(max_examples=25, deadline=None, database=None, derandomize=True,
               suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
FACETS = st.dictionaries(st.sampled_from(["category", "setting", "holder", "verdict", "profession", "page"]),
                         st.one_of(st.text(max_size=20), st.sampled_from(
                             ["clinical", "sygeplejerske", "hjemmepleje", "-1", "99999999999999999999", "1e9"])),
                         max_size=3)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def test_search_page_and_api_never_fail(client):
    @WEB
    @given(q=st.one_of(TEXT, st.text(max_size=250)), facets=FACETS, partial=st.booleans())
    @example(q="blodprøve" * 40, facets={"profession": "sygeplejerske", "page": "2"}, partial=False)
    @example(q='" OR 1=1 -- NEAR(a b) * ^ \' \\ : ( ) {a}', facets={}, partial=True)
    @example(q="\x00", facets={"setting": "\x00", "holder": "\x00"}, partial=False)
    def run(q, facets, partial):
        headers = {"HX-Request": "true"} if partial else {}
        page = client.get("/search", query_string={"q": q, **facets}, headers=headers)
        control = any(CONTROL.search(v) for v in (q, *facets, *facets.values()))  # refused by kb/web.py
        assert page.status_code == (400 if control else 200), (q, facets, page.status_code)
        api = client.get("/api/v1/tasks", query_string={"q": q, "limit": 5})
        bad = bool(CONTROL.search(q))
        assert api.status_code == (400 if bad else 200), (q, api.status_code)
        if not bad:
            data = api.get_json()
            assert len(data["items"]) <= 5 and data["total"] >= len(data["items"])

    run()
