"""The Danish analyser (kb.search.analyser): stems, compounds, ae/oe/aa, no accent folding, typos, synonyms."""
from __future__ import annotations

import ast
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from kb.search import analyser as a
from tests.helpers import run_with_imports_blocked


CORPUS = """Tage venøs blodprøve. Give medicin (medicinadministration). Håndtering af affald. Tage telefonen på
afsnittet. Anlægge perifert venekateter. Skrive epikrise. Dispensere medicin. Måle blodsukker. Sygdom og
historik. Før og efter. Opgaver for sygeplejersker."""


def vocabulary(text: str = CORPUS) -> a.Vocabulary:
    tokens = a.tokens(text)
    words = [w for w in a.words(text) if w not in a.STOPWORDS]
    return a.Vocabulary({t: tokens.count(t) for t in tokens}, words)


def test_stemming_joins_inflections():
    assert a.tokens("blodprøve") == a.tokens("blodprøver") == a.tokens("blodprøverne") == ["blodprøv"]
    assert a.tokens("Sygeplejersken") == a.tokens("sygeplejersker")


def test_stop_words_are_dropped_and_case_is_ignored():
    assert a.tokens("Håndtering AF medicin") == ["håndtering", "medicin"]


def test_no_accent_folding():
    assert a.tokens("før") == ["før"] and a.tokens("for") == []  # "for" is a stop word, "før" is not
    assert a.stem("føre") != a.stem("fore")
    assert a.tokens("sår") != a.tokens("sar")
    query = a.analyse_query("for", vocabulary())
    assert "før" not in query.stems
    # too short to be corrected: "sar" must not become "sår"
    assert a.analyse_query("sar", vocabulary("sår og sårpleje")).stems == frozenset({"sar"})


def test_compound_split_from_the_corpus_vocabulary():
    v = vocabulary()
    assert ("medicin", "håndtering") in a.split_compound("medicinhåndtering", v)
    assert a.split_compound("håndtering", v) == []  # "hånd" + "tering" is not a split: "tering" is no word
    assert ("sygdom", "historik") in a.split_compound("sygdomshistorik", v)  # across the linking s
    assert set(a.analyse("medicinhåndtering", v)) == {"medicinhåndtering", "medicin", "håndtering"}


def test_compound_query_meets_the_phrase_both_ways():
    v = vocabulary()
    query = a.analyse_query("medicinhåndtering", v)
    assert ("medicin", "håndtering") in query.groups[0]
    phrase = a.analyse_query("håndtering af medicin", v)
    assert phrase.groups == ((("håndtering",),), (("medicin",),))


def test_ascii_spellings_find_danish_letters():
    v = vocabulary()
    assert "blodprøve" in a.ascii_variants("blodproeve")
    assert a.analyse_query("blodproeve", v).groups == ((("blodprøv",),),)
    assert a.analyse_query("maale", v).stems == {"mål"}
    assert a.ascii_variants("blodprøve") == []


def test_typos_map_to_the_nearest_known_stem():
    v = vocabulary()
    assert a.analyse_query("blodpøve", v).stems == {"blodprøv"}
    assert a.analyse_query("telefonn", v).stems == {"telefon"}
    assert a.analyse_query("epikrse", v).stems == {"epikris"}
    assert a.analyse_query("xylofon", v).stems == {"xylofon"}  # nothing near: kept, matches nothing
    assert a.edit_distance("blodprøv", "blodpøv") == 1 and a.edit_distance("ab", "ba") == 1
    assert a.typo_budget("bs") == 0 and a.typo_budget("telefon") == 1 and a.typo_budget("blodprøver") == 2


def test_two_slips_are_corrected_in_a_word_of_eight_letters_or_more_not_in_a_shorter_one():
    v = vocabulary()
    assert a.stem("tolifonen") == "tolifon" and a.edit_distance("tolifon", "telefon") == 2
    assert a.analyse_query("tolifonen", v).stems == {"telefon"}  # 9 letters typed: two slips allowed
    assert a.analyse_query("tolifon", v).stems == {"tolifon"}  # 7 letters: one slip only, nothing found
    assert a.analyse_query("tolefon", v).stems == {"telefon"}  # one slip in a short word still is


def test_adjacent_words_join_when_the_joined_form_is_a_corpus_compound():
    v = vocabulary(CORPUS + " Fylde ekkorummet op. Rektaltermometre. Samtykkeerklæringer. Primærsektoren.")
    # one group: the compound, or both words (here unknown, so the compound is what matches)
    assert a.analyse_query("blod prøve", v).groups == ((("blodprøv",), ("blod", "prøv")),)
    assert a.analyse_query("ekko rum", v).groups == ((("ekkorum",), ("ekko", "rum")),)
    assert a.analyse_query("rektal-termometre", v).groups[0][0] == ("rektaltermometr",)  # a hyphen is a space
    assert a.analyse_query("samtykke erklæringer", v).groups[0][0] == ("samtykkeerklæring",)
    assert a.analyse_query("primære sektoren", v).groups[0][0] == ("primærsektor",)  # the head's stem joined
    # only neighbours join, and never into a stem that stops short of the last word (Snowball strips "igen")
    assert a.analyse_query("blod og prøve", v).groups == ((("blod",),), (("prøv",),))
    assert a.analyse_query("dispensere igen", vocabulary(CORPUS + " igen")).groups == ((("dispens",),), (("igen",),))


def test_a_single_unknown_compound_splits_against_the_vocabulary():
    v = vocabulary("Fylde telemetrivognen op. Opfyldning af vogne. Sygdom og historik. Sorte ringe.")
    assert a.split_compound("telemetrivognsopfyldningen", v) == []  # the index's splitter wants corpus words
    assert a.split_unknown("telemetrivognsopfyldningen", v) == [("telemetrivogn", "opfyldning")]
    assert a.analyse_query("telemetrivognsopfyldningen", v).groups == ((("telemetrivogn", "opfyldning"),),)
    assert a.split_unknown("sygdomshistorikkens", v) == [("sygdom", "historik")]
    assert a.split_unknown("telemetrivogn", v) == []  # one part is no compound
    assert a.split_unknown("sygdomxyz", v) == []  # every part must be known


def test_question_words_and_english_stop_words_do_not_filter():
    # the index holds them (English titles, questions in descriptions), so they would match and filter
    v = vocabulary(CORPUS + " Write the discharge summary of the patient. Hvem kan hjælpe? Who may take it?")
    assert {"the", "of", "hvem", "kan", "who", "may"} <= set(v.df)
    plain = a.analyse_query("skrive epikrise", v)
    assert a.analyse_query("Hvem kan skrive en epikrise?", v) == plain
    assert a.analyse_query("Hvilke faggrupper må skrive epikrise", v).stems >= plain.stems
    assert not a.analyse_query("Hvilke faggrupper må skrive epikrise", v).stems & {"hvilk", "må"}
    assert a.analyse_query("write the summary of the patient", v).stems == {"writ", "summary", "patient"}
    assert a.analyse_query("hvem", v).stems == {"hvem"}  # nothing but question words: kept, as typed


def test_a_word_the_corpus_does_not_know_does_not_filter_the_known_ones():
    v = vocabulary()
    assert a.analyse_query("epikrise xylofonorkester", v) == a.analyse_query("epikrise", v)
    assert a.analyse_query("xylofonorkester", v).stems == {"xylofonorkest"}  # alone it stays: matches nothing


def test_prefix_completion_only_when_asked():
    v = vocabulary()
    assert a.analyse_query("blodpr", v, complete_last=True).stems >= {"blodprøv"}
    assert "medicinadministration" in a.analyse_query("medicin", v, complete_last=True).stems
    assert "medicinadministration" not in a.analyse_query("medicin", v).stems


def test_synonyms_expand_one_hop_both_ways():
    table = a.SynonymTable.from_entries([
        ("SOSU", ["social- og sundhedsassistent", "SSH"]), ("PVK", ["perifert venekateter"]),
        ("spl.", ["sygeplejerske"])])
    assert table.expand(a.tokens("Anlægge perifert venekateter")) == ["pvk"]
    assert table.expand(a.tokens("PVK")) == ["perifert", "venekatet"]
    assert table.expand(a.tokens("social- og sundhedsassistenter")) == ["sosu"]
    assert "ssh" in table.expand(a.tokens("SOSU"))
    assert table.expand(a.tokens("SSH")) == ["sosu"]  # not on to the assistant: one hop only
    assert table.expand(a.tokens("sygeplejersker")) == ["spl"]


def test_query_renders_for_each_backend():
    q = a.Query(((("blodprøv",),), (("medicin", "håndtering"), ("medicinhåndtering",))))
    fts = q.render(lambda s: f'"{s}"', "AND", "OR")
    assert fts == '("blodprøv") AND (("medicin" AND "håndtering") OR "medicinhåndtering")'
    ts = q.render(lambda s: s, "&", "|", any_group=True)
    assert ts == "(blodprøv) | ((medicin & håndtering) | medicinhåndtering)"


def test_highlight_spans_cover_words_and_compounds():
    v = vocabulary()
    text = "Medicinhåndtering og blodprøver"
    spans = a.highlight_spans(text, {"håndtering", "blodprøv"}, v)
    assert [text[x:y] for x, y in spans] == ["Medicinhåndtering", "blodprøver"]


def test_highlight_escapes_everything_but_the_marks():
    from kb.search.highlight import highlight

    html = str(highlight("<b>blodprøve</b> & mere", {"blodprøv"}))
    assert html == "&lt;b&gt;<mark>blodprøve</mark>&lt;/b&gt; &amp; mere"


def test_analyser_is_pure():
    """Its own imports name no web, ORM or app module (the subprocess test below checks what importing it loads)."""
    tree = ast.parse(Path(a.__file__).read_text(encoding="utf-8"))
    imported = {n.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for n in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    assert imported and not imported & {"flask", "sqlalchemy", "kb", "markupsafe", "jinja2"}


def test_the_analyser_imports_with_the_web_and_orm_modules_blocked():
    """What `import kb.search.analyser` loads, package included, as tests/unit/test_engine_is_a_library.py checks
    kb.rules: in a fresh interpreter where every web and ORM module refuses to import."""
    result = run_with_imports_blocked("""
        import kb.search.analyser as a
        v = a.Vocabulary({"blodprøv": 1}, ["blodprøve"])
        print(" ".join(a.analyse("Blodprøver", v)))
    """)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split() == a.analyse("Blodprøver", a.Vocabulary({"blodprøv": 1}, ["blodprøve"]))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80), st.booleans())
def test_analyser_never_crashes(text, complete):
    v = vocabulary()
    tokens = a.analyse(text, v)
    assert all(t and " " not in t for t in tokens)
    query = a.analyse_query(text, v, complete_last=complete)
    for group in query.groups:
        assert group and all(alt and all(s.strip() == s and s for s in alt) for alt in group)
    a.highlight_spans(text, query.stems, v)


def test_stemming_from_many_threads_gives_what_one_thread_gives():
    """A server's threads stem at once (gunicorn gthread): a shared Snowball stemmer corrupted their words
    (IndexError, wrong stems) — the rare 500 on /search under load."""
    import random
    import threading

    rnd = random.Random(1)
    letters = "abcdefghijklmnoprstuvæøå"
    words_ = sorted({"".join(rnd.choice(letters) for _ in range(rnd.randint(5, 14))) +
                     rnd.choice(["erne", "ene", "ing", "ede", "else", "heden", ""]) for _ in range(20_000)})
    expected = {w: a._stemmer().stemWord(w) for w in words_}
    a.stem.cache_clear()  # every word a miss: each thread runs the stemmer itself
    wrong, errors = [], []

    def work(chunk):
        try:
            wrong.extend(w for w in chunk if a.stem(w) != expected[w])
        except Exception as exc:  # noqa: BLE001 - the failure this test exists to catch
            errors.append(repr(exc))

    threads = [threading.Thread(target=work, args=(words_[i::8],)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and wrong == []
