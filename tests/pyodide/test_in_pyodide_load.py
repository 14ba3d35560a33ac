"""Loading CSV through the Session facade; meant to run inside Pyodide.

Plain functions with bare asserts and only the standard library plus sift, so a tiny runner can
call every ``test_*`` function in the browser; host pytest collects them too.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile

from sift.session import Session


def test_load_through_handle_from_bytesio() -> None:
    data = '\ufeffname,note\nAda,"multi\nline, with comma"\nZoë,\n'.encode()
    with Session() as session:
        reply = session.handle("load", {"name": "people.csv", "stream": io.BytesIO(data)})
    assert reply["ok"], reply
    result = reply["result"]
    assert result["message"] == "Loaded people.csv: 2 rows, 2 columns"
    assert result["columns"] == ["name", "note"]
    assert result["page"]["rows"] == [["Ada", "multi\nline, with comma"], ["Zoë", None]]
    assert json.loads(json.dumps(reply)) == reply


def test_load_streams_a_file_from_the_file_system() -> None:
    rows = 30_000
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "numbers.csv")
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["n", "text"])
            writer.writerows([i, f"row {i}"] for i in range(rows))
        with open(path, "rb") as stream, Session() as session:
            reply = session.handle_load("numbers.csv", stream)
    assert reply["ok"], reply
    assert reply["result"]["rows"] == rows
    assert reply["result"]["page"]["rows"][99] == [99, "row 99"]


def test_encodings_used_by_the_loader_exist() -> None:
    with Session() as session:
        cp1252 = session.load("latin.csv", b"name\ncaf\xe9\n")
        utf16 = session.load("wide.tsv", "a\tb\n1\t2\n".encode("utf-16"))
    assert cp1252["page"]["rows"] == [["café"]]
    assert cp1252["encoding"] == "Windows-1252"
    assert utf16["page"]["rows"] == [[1, 2]]
    assert utf16["encoding"] == "UTF-16"


def test_nul_is_removed_and_large_fields_load() -> None:
    big = "x" * 200_000  # above the csv module's default field limit of 128 KiB
    data = f"a,b\nx\x00y,{big}\n".encode()
    with Session() as session:
        result = session.load("odd.csv", data)
    assert result["page"]["rows"] == [["xy", big]]  # NUL characters are removed, with a warning
    assert any("NUL" in warning for warning in result["warnings"])


def test_errors_cross_the_boundary_as_json() -> None:
    with Session() as session:
        refused = session.handle_load("photo.csv", io.BytesIO(b"\x89PNG\r\n\x1a\n\x00\x00"))
        unknown = session.handle("nope", {})
    assert refused["error"]["message"] == "photo.csv is not a CSV file: it looks like a PNG image."
    assert unknown["error"]["kind"] == "error"
    for reply in (refused, unknown):
        assert json.loads(json.dumps(reply)) == reply
