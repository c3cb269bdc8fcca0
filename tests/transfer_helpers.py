"""Import and export (overførsel) through HTTP: upload a file, read the job id, commit a dry run; CSV and XLSX files
made from rows, and a big generated import."""
from __future__ import annotations

import csv
import io
from urllib.parse import parse_qs, urlsplit

import openpyxl

from tests.helpers import CSRF_RE, csrf_token


def upload(client, kind: str, name: str, data: bytes):
    return client.post("/overfoersel/import", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(client, "/overfoersel/"), "kind": kind, "file": (io.BytesIO(data), name)})


def job_id(response) -> str:
    return parse_qs(urlsplit(response.headers["Location"]).query)["id"][0]


def commit(client, job: str, reason: str = "Rettelser fra regnearket"):
    token = CSRF_RE.search(client.get(f"/overfoersel/koersel?id={job}").get_data(as_text=True)).group(1)
    return client.post(f"/overfoersel/koersel/indlaes?id={job}", data={"csrf_token": token, "reason": reason})


def csv_file(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    return ("\ufeff" + out.getvalue()).encode()


def xlsx_file(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def big_file(n: int) -> bytes:
    """A CSV of n new tasks (importeret-opgave-0000 …), each citing its own lines of seed-004."""
    rows = [["slug", "title", "category", "holders", "settings", "requirements", "sources", "terms"]]
    rows += [[f"importeret-opgave-{i:04d}", f"Importeret opgave nummer {i}", "clinical",
              "sygeplejerske; social-og-sundhedsassistent", "sygehus", "hygiejne-basis:required",
              f"seed-004:{1 + i}-{2 + i}", f"ord{i}; testord"] for i in range(n)]
    return csv_file(rows)
