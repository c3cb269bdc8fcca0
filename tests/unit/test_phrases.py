"""The engine's phrases: the Danish text is the string itself, the code renders it again in any language."""
from __future__ import annotations

import pickle
import re
from pathlib import Path

from babel.messages.pofile import read_po

from kb.rules.phrases import TEXTS, Name, Names, Phrase, noted, render

PO = Path(__file__).resolve().parents[2] / "translations" / "en" / "LC_MESSAGES" / "messages.po"


def test_a_phrase_is_its_danish_text_and_renders_in_another_language():
    groups = Names((Name("profession", "laege", "Læge"), Name("profession", "sygeplejerske", "Sygeplejerske")),
                   "eller")
    phrase = Phrase("delegation_only", groups=groups)
    assert phrase == ("Kun som medhjælp ved delegation fra Læge eller Sygeplejerske "
                      "(konkret delegation eller rammedelegation)")
    english = {"Kun som medhjælp ved delegation fra %(groups)s (konkret delegation eller rammedelegation)":
               "Only by delegation from %(groups)s", "eller": "or"}
    names = {"laege": "Doctor", "sygeplejerske": "Nurse"}
    said = render(phrase, lambda t: english.get(t, t), lambda n: names[n.slug])
    assert said == "Only by delegation from Doctor or Nurse"


def test_nested_phrases_and_notes_render_inside_out():
    inner = Phrase("missing_competence", competence=Name("competence", "pvk", "PVK-anlæggelse"))
    outer = noted(Phrase("advice", advice=inner), "Se instruksen")
    assert outer == "Råd (ændrer ikke den lovlige ret): Mangler kompetencen: PVK-anlæggelse. Se instruksen"
    said = render(outer, lambda t: t, lambda n: n.slug)  # names through the namer, at every depth
    assert said == "Råd (ændrer ikke den lovlige ret): Mangler kompetencen: pvk. Se instruksen"
    assert noted(inner, "  ") is inner  # no note, no wrapper


def test_a_phrase_survives_pickling_with_its_code():
    phrase = Phrase("reserved_member", groups=Names((Name("profession", "laege", "Læge"),), "og"),
                    profession=Name("profession", "laege", "Læge"))
    back = pickle.loads(pickle.dumps(phrase))
    assert back == phrase and isinstance(back, Phrase)
    assert back.code == "reserved_member" and back.params == phrase.params
    assert phrase.to_dict()["params"]["profession"] == {"kind": "profession", "slug": "laege", "name": "Læge"}


def test_every_template_has_an_english_translation_with_the_same_placeholders():
    with PO.open("rb") as fh:
        catalogue = {m.id: m.string for m in read_po(fh) if m.id}
    for code, template in TEXTS.items():
        english = catalogue.get(template)
        assert english, f"{code}: no English for {template!r}"
        placeholders = sorted(re.findall(r"%\((\w+)\)s", template))
        assert sorted(re.findall(r"%\((\w+)\)s", english)) == placeholders, code
