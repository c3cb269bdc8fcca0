"""Fuzzing the importer. The parsing layer (kb/transfer/sheets.py reads a file into rows, kb/transfer/cells.py reads
each cell into a field) must, for any bytes under any name and for every kind, either give rows and values or
raise its own documented error — FileProblem for the file, CellError for a cell — with a Danish message; never
another exception. Through the web upload, fuzzed and hand-picked hostile files get a 400 with the message or a
dry-run page listing what is wrong, never a 500 and never a job that crashed."""
from __future__ import annotations

import html
import re

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kb import models as m
from kb.extensions import db
from kb.transfer.cells import CellError
from kb.transfer.columns import COLUMNS
from kb.transfer.sheets import FileProblem, read_sheet
from tests.helpers import signed_in
from tests.transfer_helpers import commit, csv_file, upload, xlsx_file
from tests.security.strategies import KINDS, any_file, csv_bytes, damaged_xlsx, xlsx_bytes

DANISH = re.compile(r"[a-zæøå]{2,}", re.I)
FILE_MESSAGE = re.compile(r"^Fil(en|typen) ")  # every FileProblem says what is wrong with "Filen …"/"Filtypen …"
ENGLISH_ERRORS = re.compile(r"Traceback|Error\b|Exception|invalid literal|object has no|NoneType")


def read_and_decode(filename: str, data: bytes, kind: str) -> int:
    """What the importer does before it looks at the database: the file into rows, every cell into a value."""
    try:
        sheet = read_sheet(filename, data)
    except FileProblem as exc:
        message = str(exc)
        assert FILE_MESSAGE.match(message) and not ENGLISH_ERRORS.search(message), message
        return 0
    assert isinstance(sheet.header, list) and all(isinstance(h, str) for h in sheet.header)
    columns = {c.name: c for c in COLUMNS[kind]}
    decoded = 0
    for number, cells in sheet.rows:
        assert isinstance(number, int) and number >= 2 and all(isinstance(c, str) for c in cells)
        for name, cell in zip(sheet.header, cells):
            if name not in columns:
                continue
            try:
                columns[name].decode(cell)
                decoded += 1
            except CellError as exc:
                message = str(exc)
                assert DANISH.search(message) and not ENGLISH_ERRORS.search(message), message
    for row, index, message in sheet.problems:
        assert isinstance(row, int) and isinstance(index, int) and DANISH.search(message)
    return decoded


PURE = settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

# Cells that once escaped as other exceptions, or could: numbers beyond int()'s 4,300 digits, NaN and infinity.
HUGE = "9" * 5000
NASTY_CELLS = {
    "task": {"sources": f"seed-004:{HUGE}", "requirements": f"{HUGE}:required",
             "evidence": f"a | b | c | d | x:{HUGE}"},
    "profession": {"education_level": HUGE, "shortage": f"mål | {HUGE} | % | {HUGE} | note",
                   "sources": f"seed-004:1-{HUGE}"},
    "competence": {"name": HUGE},
    "rule": {"sources": f"seed-004:{HUGE}-{HUGE}", "conditions": HUGE},
}


@pytest.mark.parametrize("kind", KINDS)
def test_hand_picked_cells_give_values_or_cell_errors(kind):
    for name, value in NASTY_CELLS[kind].items():
        for data in (csv_file([["slug", name], ["x", value]]), xlsx_file([["slug", name], ["x", value]])):
            read_and_decode("fil.xlsx" if data.startswith(b"PK") else "fil.csv", data, kind)


@PURE
@given(kind=st.sampled_from(KINDS), data=st.binary(max_size=2000), name=st.sampled_from(["a.csv", "a.xlsx"]))
@example(kind="task", data=b"\xef\xbb\xbf", name="a.csv")
@example(kind="task", data=b"PK\x03\x04", name="a.xlsx")
@example(kind="task", data=b"slug;title\r\n\"x;\"\"", name="a.csv")
@example(kind="task", data=b"slug\n" + b"a\n" * 20_002, name="a.csv")
@example(kind="task", data=b"slug;title\n\"" + b"x" * 200_000 + b"\"", name="a.csv")
def test_any_bytes(kind, data, name):
    read_and_decode(name, data, kind)


@PURE
@given(st.sampled_from(KINDS).flatmap(lambda k: st.tuples(st.just(k), csv_bytes(k))))
def test_csv_like_text(kind_and_data):
    kind, data = kind_and_data
    read_and_decode("fil.csv", data, kind)


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(KINDS).flatmap(lambda k: st.tuples(st.just(k), xlsx_bytes(k))))
def test_generated_workbooks(kind_and_data):
    kind, data = kind_and_data
    read_and_decode("fil.xlsx", data, kind)


@settings(max_examples=100, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(KINDS).flatmap(lambda k: st.tuples(st.just(k), damaged_xlsx(k))))
def test_damaged_workbooks(kind_and_data):
    kind, data = kind_and_data
    read_and_decode("fil.xlsx", data, kind)


# -- through the web upload ----------------------------------------------------------------------------------------

def _check_upload(app, client, kind: str, filename: str, data: bytes, commit_too: bool = False) -> str:
    """Upload; a 400 names the problem, a 303 leads to a dry run that finished (not crashed) and says something."""
    response = upload(client, kind, filename, data)
    body = html.unescape(response.get_data(as_text=True))
    if response.status_code == 400:
        assert re.search(r'class="error"', response.get_data(as_text=True)), body[:2000]
        return "refused"
    assert response.status_code == 303, (response.status_code, body[:2000])
    token = re.search(r"id=([\w-]+)", response.headers["Location"]).group(1)
    page = client.get(f"/overfoersel/koersel?id={token}")
    assert page.status_code == 200
    with app.app_context():
        state = db.session.scalar(sa.select(m.ImportJob.state).where(m.ImportJob.id == token))
    assert state["status"] == "done", (filename, state.get("error"), state.get("detail"))
    text = html.unescape(page.get_data(as_text=True))
    assert re.search(r"Fejl|nye|ændrede|ingenting|tom|kolonne", text), text[:2000]
    if commit_too and state.get("ok") and state.get("has_work"):
        assert commit(client, token, reason="Fjendtlig fil").status_code in (302, 303)
        with app.app_context():
            state = db.session.scalar(sa.select(m.ImportJob.state).where(m.ImportJob.id == token))
        assert state["status"] == "done" or state.get("error") == "refused", (filename, state)
        return "committed"
    return "errors" if not state.get("ok") else "ok"


HOSTILE = [
    ("task", "fil.csv", csv_file([["slug", "sources"], ["ny-opgave", f"seed-004:{HUGE}"]])),
    ("task", "fil.csv", csv_file([["slug", "sources"], ["ny-opgave", "seed-004:99999999999-99999999999"]])),
    ("task", "fil.xlsx", xlsx_file([["slug", "title", "holders"], ["ny-opgave", "Titel_x0000_nul", "_x0000_"]])),
    ("task", "fil.xlsx", xlsx_file([["slug", "title"], ["_x0000_", "Nul i slug"]])),
    ("task", "fil.csv", csv_file([["slug", "holders", "settings", "provisions"], ["ny", "a\u0000b", "x" * 5000, "'"]])),
    ("profession", "fil.csv", csv_file([["slug", "education_level"], ["sygeplejerske", "1e300"]])),
    ("profession", "fil.csv", csv_file([["slug", "shortage"], ["sygeplejerske", "mål | nan | % | 2024 | note"]])),
    ("profession", "fil.csv", csv_file([["slug", "shortage"], ["sygeplejerske", "mål | inf | % | 99999999999 |"]])),
    ("profession", "fil.csv", csv_file([["slug", "shortage"], ["sygeplejerske", f"mål | 1 | % | {HUGE} |"]])),
    ("rule", "fil.csv", csv_file([["slug", "task", "profession", "effect", "kind", "setting", "complexity"],
                                  ["ny-regel", "x\u0000", "y" * 3000, "allow", "legal", "\u202e", "hard"]])),
    ("competence", "fil.csv", csv_file([["slug", "name", "kind"], ["a" * 3000, "Navn", "skill"]])),
    ("competence", "fil.xlsx", xlsx_file([["slug", "name", "kind"], [12345, 1.5, True]])),
    ("task", "fil.xlsx", b"PK\x03\x04" + b"\x00" * 100),
    ("task", "fil.csv", b"\xff\xfe" + "slug;title".encode("utf-16-le")),
]


def test_hostile_files_through_the_web(app):
    """Each file is dry-run and, where the dry run finds nothing wrong, committed: the job never crashes."""
    app.config.update(KB_TRANSFER_BACKGROUND=False)
    client = signed_in(app, "reviewer")
    failures = []
    for i, (kind, filename, data) in enumerate(HOSTILE):
        try:
            _check_upload(app, client, kind, filename, data, commit_too=True)
        except AssertionError as exc:
            failures.append(f"HOSTILE[{i}] {kind} {filename}: {str(exc)[:400]}")
    assert not failures, "\n".join(failures)


def test_fuzzed_files_through_the_web(app):
    app.config.update(KB_TRANSFER_BACKGROUND=False)
    client = signed_in(app, "editor")
    outcomes = []

    @settings(max_examples=20, deadline=None, database=None, derandomize=True,  # the same files on every run
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    @given(st.sampled_from(KINDS).flatmap(lambda k: st.tuples(st.just(k), any_file(k))))
    def run(kind_and_file):
        kind, (filename, data) = kind_and_file
        outcomes.append(_check_upload(app, client, kind, filename, data))

    run()
    assert "refused" in outcomes and {"errors", "ok"} & set(outcomes), outcomes  # both paths were taken


def _limited_fields(kind: str) -> dict[str, int]:
    """Columns of the spreadsheet stored in a String(n) column of the same name, with n (from the models)."""
    model = {"task": m.Task, "profession": m.Profession, "competence": m.Competence, "rule": m.Rule}[kind]
    lengths = {c.name: c.type.length for c in model.__table__.columns
               if isinstance(c.type, sa.String) and getattr(c.type, "length", None)}
    return {c.name: lengths[c.name] for c in COLUMNS[kind] if c.name in lengths}


def test_values_longer_than_their_database_column_are_errors_in_the_dry_run(app):
    """SQLite would store them (it does not enforce VARCHAR lengths) and PostgreSQL would fail the commit: both must
    refuse them in the dry run, by row and column, with the length in the message."""
    app.config.update(KB_TRANSFER_BACKGROUND=False)
    client = signed_in(app, "reviewer")
    with app.app_context():
        existing = {kind: db.session.scalar(sa.select(model.slug).order_by(model.slug).limit(1)) for kind, model in
                    {"task": m.Task, "profession": m.Profession, "competence": m.Competence, "rule": m.Rule}.items()}
        term = m.TaskTerm.__table__.c.term.type.length
        metric = m.ProfessionShortage.__table__.c.metric.type.length
        url = m.SourceCitation.__table__.c.url.type.length
    cases = [(kind, name, "a" * (n + 1)) for kind in KINDS for name, n in _limited_fields(kind).items()]
    cases += [("task", "terms", "kort; " + "b" * (term + 1)),
              ("profession", "shortage", f"{'c' * (metric + 1)} | 1 | % | 2024 | note | seed-004:1-2"),
              ("task", "sources", "https://eksempel.dk/" + "d" * url)]
    assert len(cases) >= 15
    failures = []
    for kind, name, value in cases:
        rows = [["slug"], [value]] if name == "slug" else [["slug", name], [existing[kind], value]]
        response = upload(client, kind, "lang.csv", csv_file(rows))
        token = re.search(r"id=([\w-]+)", response.headers["Location"]).group(1)
        page = client.get(f"/overfoersel/koersel?id={token}").get_data(as_text=True)
        found = re.search(rf'data-row="2" data-column="{name}"><td>2</td><td>{name}</td><td>([^<]*)</td>', page)
        if not found or not re.search(r"højst \d+ tegn|skal være en af|er for lang", html.unescape(found.group(1))):
            failures.append(f"{kind}.{name}: {found.group(1) if found else 'no error listed'}")
    assert not failures, "\n".join(failures)


def test_a_zip_directory_claiming_a_newer_format_is_a_file_problem():
    """Found by the damaged-workbook fuzzing: zipfile raises NotImplementedError (not BadZipFile) for an entry that
    needs a newer zip version; that is a damaged file like any other."""
    data = bytearray(xlsx_file([["slug", "name"], ["a", "b"]]))
    entry = data.index(b"PK\x01\x02")  # the first central directory entry
    data[entry + 6:entry + 8] = (169).to_bytes(2, "little")  # "version needed to extract": 16.9
    with pytest.raises(FileProblem, match=r"^Filen "):
        read_sheet("fil.xlsx", bytes(data))
