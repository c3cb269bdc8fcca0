"""The OpenAPI 3.1 document for API v1. A test checks that its paths are exactly the registered /api/v1 routes."""
from __future__ import annotations

from flask import jsonify

from kb.api import bp
from kb.models.enums import PROVISION_EFFECTS

ERROR = {"$ref": "#/components/schemas/Error"}


def _param(name: str, where: str = "query", schema: dict | None = None, description: str = "",
           required: bool = False) -> dict:
    out = {"name": name, "in": where, "required": required or where == "path",
           "schema": schema or {"type": "string"}, "description": description}
    if where == "query":
        out["allowEmptyValue"] = True  # "limit=" or "setting=" counts as left out, as from an HTML form
    return out


SLUG_SCHEMA = {"type": "string", "pattern": "^[a-z0-9-]+$", "maxLength": 200}
SLUG = _param("slug", "path", SLUG_SCHEMA)
CONTEXT = [
    _param("setting", schema={"type": "string", "maxLength": 200}, description="Miljø (slug)"),
    _param("complexity", schema={"type": "string", "enum": ["uncomplicated", "complex"]}),
    _param("date", schema={"type": "string", "format": "date", "maxLength": 10},
           description="Læs reglerne på denne dato (ÅÅÅÅ-MM-DD)"),
    _param("organisation", schema={"type": "string", "maxLength": 200},
           description="Region eller kommune (slug), hvis egne aftaler regnes med; uden: kun lov og nationale aftaler"),
]


def _responses(schema: dict, not_found: bool = False) -> dict:
    out = {"200": {"description": "OK", "content": {"application/json": {"schema": schema}}},
           "400": {"description": "Ugyldig parameter", "content": {"application/json": {"schema": ERROR}}},
           # Anonymous reads carry an ETag (kb/httpcache.py); sent back in If-None-Match, an unchanged answer is a
           # 304 without a body.
           "304": {"description": "Uændret (If-None-Match med svarets ETag; kun uden login)"}}
    if not_found:
        out["404"] = {"description": "Ukendt slug", "content": {"application/json": {"schema": ERROR}}}
    return out


def _list_of(ref: str) -> dict:
    return {"type": "object", "required": ["items"],
            "properties": {"items": {"type": "array", "items": {"$ref": ref}}, "total": {"type": "integer"}}}


DOCUMENT = {
    "openapi": "3.1.0",
    "info": {"title": "Opgavebasen API", "version": "1",
             "description": "Hvilke faggrupper må overtage opgaven, og på hvilke betingelser? Læse-API."},
    "paths": {
        "/api/v1/professions": {"get": {"summary": "Faggrupper", "responses": _responses(
            _list_of("#/components/schemas/ProfessionSummary"))}},
        "/api/v1/professions/{slug}": {"get": {
            "summary": "En faggruppe",
            "description": "Med en side af de opgaver, faggruppen løser i dag (tasks_held, limit/offset); "
                           "tasks_held_total er antallet i alt. /api/v1/tasks?holder={slug} giver samme liste med "
                           "filtre.",
            "parameters": [SLUG, _param("limit", schema={"type": "integer", "minimum": 1, "maximum": 500}),
                           _param("offset", schema={"type": "integer", "minimum": 0, "maximum": 10**9})],
            "responses": _responses({"$ref": "#/components/schemas/ProfessionDetail"}, True)}},
        "/api/v1/professions/{slug}/shiftable": {"get": {
            "summary": "Opgaver faggruppen løser, som andre kan og må overtage",
            "description": "Kun realistiske overtagere (fit recommended eller trainable); en opgave uden nogen er "
                           "udeladt. Bedste overtager først (lovligt svar, fit, oplæringstimer, overtagerens egen "
                           "mangel, laveste uddannelsesniveau); en side ad gangen (limit/offset), total er antallet "
                           "i alt.",
            "parameters": [SLUG, *CONTEXT, _param("takers", schema={"type": "integer", "minimum": 1, "maximum": 50}),
                           _param("limit", schema={"type": "integer", "minimum": 1, "maximum": 500}),
                           _param("offset", schema={"type": "integer", "minimum": 0, "maximum": 10**9})],
            "responses": _responses({"type": "object", "required": ["items", "total"], "properties": {
                "items": {"type": "array", "items": {"type": "object", "properties": {
                    "task": {"$ref": "#/components/schemas/TaskRef"},
                    "takers": {"type": "array", "items": {"$ref": "#/components/schemas/Result"}}}}},
                "total": {"type": "integer", "minimum": 0}, "limit": {"type": "integer"},
                "offset": {"type": "integer"}}}, True)}},
        "/api/v1/tasks": {"get": {
            "summary": "Opgaver", "parameters": [
                _param("q", description="Søgning (de første 200 tegn bruges)"),
                _param("category", schema={"type": "string", "enum": ["administrative", "clinical", "coordination"]}),
                _param("setting", schema={"type": "string", "maxLength": 200}, description="Miljø (slug)"),
                _param("holder", schema={"type": "string", "maxLength": 200}, description="Faggruppe (slug)"),
                _param("limit", schema={"type": "integer", "minimum": 1, "maximum": 500}),
                _param("offset", schema={"type": "integer", "minimum": 0, "maximum": 10**9})],
            "responses": _responses(_list_of("#/components/schemas/TaskRef"))}},
        "/api/v1/tasks/{slug}": {"get": {"summary": "En opgave med krav, bestemmelser, kilder og evidens",
                                         "parameters": [SLUG], "responses": _responses(
                                             {"$ref": "#/components/schemas/TaskDetail"}, True)}},
        "/api/v1/tasks/{slug}/who-may": {"get": {
            "summary": "Hvem må overtage opgaven", "parameters": [SLUG, *CONTEXT],
            "responses": _responses({"type": "object", "required": ["task", "results"], "properties": {
                "task": {"$ref": "#/components/schemas/TaskRef"},
                "results": {"type": "array", "items": {"$ref": "#/components/schemas/Result"}}}}, True)}},
        "/api/v1/provisions": {"get": {
            "summary": "Bestemmelser (lov og organisatoriske aftaler) med verifikation",
            "parameters": [
                _param("act", schema={"type": "string", "maxLength": 200}, description="Retsakt (slug)"),
                _param("verified", schema={"type": "string", "enum": ["true", "false"]},
                       description="Kun verificerede (true) eller ikke verificerede (false)"),
                _param("effect", schema={"type": "string", "enum": list(PROVISION_EFFECTS)}),
                _param("limit", schema={"type": "integer", "minimum": 1, "maximum": 500}),
                _param("offset", schema={"type": "integer", "minimum": 0, "maximum": 10**9})],
            "responses": _responses({"type": "object", "required": ["items", "total", "limit", "offset"],
                                     "properties": {
                                         "items": {"type": "array",
                                                   "items": {"$ref": "#/components/schemas/Provision"}},
                                         "total": {"type": "integer", "minimum": 0},
                                         "limit": {"type": "integer"}, "offset": {"type": "integer"}}})}},
        "/api/v1/provisions/{slug}": {"get": {
            "summary": "En bestemmelse med retsakt, virkning, gyldighed, verifikation og de opgaver, den gælder",
            "parameters": [SLUG], "responses": _responses({"allOf": [
                {"$ref": "#/components/schemas/Provision"},
                {"type": "object", "required": ["tasks"], "properties": {
                    "tasks": {"type": "array", "items": {"$ref": "#/components/schemas/TaskRef"}}}}]}, True)}},
        "/api/v1/openapi.json": {"get": {"summary": "Dette dokument", "responses": {"200": {
            "description": "OpenAPI-dokumentet", "content": {"application/json": {"schema": {
                "type": "object", "required": ["openapi", "info", "paths"]}}}}}}},
    },
    "components": {"schemas": {
        "Error": {"type": "object", "required": ["error"], "properties": {"error": {
            "type": "object", "required": ["code", "message"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}},
        "ProfessionDetail": {"allOf": [{"$ref": "#/components/schemas/ProfessionSummary"}, {
            "type": "object",
            "required": ["description", "education", "settings", "competences", "reserved_area", "shortage",
                         "tasks_held", "tasks_held_total", "limit", "offset", "sources"],
            "properties": {
                "description": {"type": ["string", "null"]},
                "settings": {"type": "array", "items": {"type": "string"}},
                "competences": {"type": "array", "items": {"type": "object", "required": ["slug", "name"]}},
                "reserved_area": {"type": "array", "items": {"type": "object"}},
                "shortage": {"type": "array", "items": {"type": "object"}},
                "tasks_held": {"type": "array", "items": {"$ref": "#/components/schemas/TaskRef"},
                               "description": "En side (limit/offset), efter titel"},
                "tasks_held_total": {"type": "integer", "minimum": 0}, "limit": {"type": "integer"},
                "offset": {"type": "integer"},
                "sources": {"type": "array", "items": {"$ref": "#/components/schemas/Source"}}}}]},
        "TaskDetail": {"allOf": [{"$ref": "#/components/schemas/TaskRef"}, {
            "type": "object",
            "required": ["description", "status", "settings", "holders", "tags", "terms", "requirements",
                         "provisions", "rules", "evidence", "sources"],
            "properties": {
                "description": {"type": ["string", "null"]}, "status": {"type": "string"},
                "settings": {"type": "array", "items": {"type": "string"}},
                "holders": {"type": "array", "items": {"type": "string"}},
                "tags": {"type": "array", "items": {"type": "string"}},
                "terms": {"type": "array", "items": {"type": "object", "required": ["term", "kind"]}},
                "requirements": {"type": "array", "items": {"type": "object", "required": ["competence", "level"]}},
                "provisions": {"type": "array", "items": {"type": "object", "required": ["slug"]}},
                "rules": {"type": "array", "items": {"type": "object", "required": [
                    "slug", "profession", "effect", "kind", "conditions", "note"], "properties": {
                    "conditions": {"type": "array", "items": {"type": "string"}},
                    "note": {"type": ["string", "null"]}}}},
                "evidence": {"type": "array", "items": {"type": "object"}},
                "sources": {"type": "array", "items": {"$ref": "#/components/schemas/Source"}}}}]},
        "Source": {"type": "object", "required": ["type"], "properties": {
            "type": {"type": "string", "enum": ["document", "provision", "url"]},
            "url": {"type": ["string", "null"], "description": "Rapportens offentlige adresse hos udgiveren "
                                                                "(document) eller sidens adresse (url)"},
            "note": {"type": ["string", "null"]}}},
        "Provision": {"type": "object", "required": [
            "slug", "act", "act_reference", "ref", "title", "url", "effect", "kind", "reserved_to", "valid_from",
            "valid_to", "verified", "verified_source", "verified_on"], "properties": {
            "slug": {"type": "string"}, "ref": {"type": "string"}, "title": {"type": "string"},
            "act": {"type": "object", "required": ["slug", "short_name", "reference"], "properties": {
                "slug": {"type": "string"}, "short_name": {"type": "string"},
                "reference": {"type": "string", "description": "Aktens nummer (LBK/BEK/VEJ/lov nr. … af …)"}}},
            "act_reference": {"type": "string"}, "url": {"type": "string"},
            "effect": {"type": "string", "enum": list(PROVISION_EFFECTS)},
            "kind": {"type": "string", "enum": ["legal", "organisational"]},
            "reserved_to": {"type": "array", "items": {"type": "string"}},
            "scope": {"type": ["string", "null"]},
            "complexity": {"type": ["string", "null"], "enum": ["uncomplicated", "complex", None]},
            "organisation": {"type": ["string", "null"]},
            "valid_from": {"type": ["string", "null"], "format": "date"},
            "valid_to": {"type": ["string", "null"], "format": "date"},
            "verified": {"type": "boolean"},
            "verified_source": {"type": ["string", "null"], "description": "Den officielle tekst, den er kontrolleret mod"},
            "verified_on": {"type": ["string", "null"], "format": "date"}}},
        "ProfessionSummary": {"type": "object", "required": ["slug", "name"], "properties": {
            "slug": {"type": "string"}, "name": {"type": "string"}, "name_en": {"type": "string"},
            "authorised": {"type": "boolean"}, "has_reserved_area": {"type": "boolean"},
            "isco08": {"type": "string"}}},
        "TaskRef": {"type": "object", "required": ["slug", "title", "category"], "properties": {
            "slug": {"type": "string"}, "title": {"type": "string"},
            "category": {"type": "string", "enum": ["administrative", "clinical", "coordination"]}}},
        "Result": {"type": "object", "required": ["profession", "verdict", "conditions", "missing_competences",
                                                  "reasons", "legal", "fit", "training", "evidence"],
                   "description": "Må (verdict, legal) og kan (fit, training, evidence): fit er null, når faggruppen "
                                  "ikke må; recommended = intet eller lille hul og praksis eller et forslag støtter "
                                  "det, trainable = hullet lukkes med oplæring eller kursus, requires_education = "
                                  "kun en videre- eller anden uddannelse lukker det.",
                   "properties": {
            "legal": {"type": "string", "enum": ["independent", "delegation", "not_allowed"]},
            "fit": {"type": ["string", "null"], "enum": ["recommended", "trainable", "requires_education", None]},
            "fit_label": {"type": ["string", "null"]},
            "training": {"type": "object", "required": ["effort", "hours", "offers"], "properties": {
                "effort": {"type": "string", "enum": ["none", "oplæring", "kursus", "uddannelse"]},
                "effort_label": {"type": "string"},
                "hours": {"type": ["integer", "null"], "description": "Typiske timer oplæring/kursus; null når en "
                                                                      "uddannelse kræves eller timerne ikke kendes"},
                "offers": {"type": "array", "items": {"type": "object", "properties": {
                    "slug": {"type": "string"}, "name": {"type": "string"}}}}}},
            "evidence": {"type": "array", "items": {"type": "object", "required": ["kind", "summary"], "properties": {
                "kind": {"type": "string", "enum": ["proposal", "practice", "pilot", "evaluation"]},
                "summary": {"type": "string"}, "from": {"type": ["string", "null"]},
                "sources": {"type": "array", "items": {"type": "string"}}}}},
            "profession": {"type": "string"},
            "verdict": {"type": "string", "enum": ["independent", "independent_after_training", "delegation",
                                                   "delegation_after_training", "not_allowed"]},
            "conditions": {"type": "array", "items": {"type": "string"}},
            "missing_competences": {"type": "array", "items": {"type": "object"}},
            "reasons": {"type": "array", "items": {"type": "object", "required": ["kind", "text"], "properties": {
                "kind": {"type": "string", "enum": ["legal", "organisational", "competence"]},
                "text": {"type": "string"}, "provision": {"type": ["object", "null"]}}}}}},
    }},
}


@bp.get("/openapi.json")
def openapi():
    return jsonify(DOCUMENT)
