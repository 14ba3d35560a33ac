"""The bundled wheels import in the runtime and do their job; meant to run inside Pyodide."""

from __future__ import annotations

import io


def test_openpyxl_uses_defusedxml() -> None:
    import openpyxl

    assert openpyxl.DEFUSEDXML is True


def test_openpyxl_round_trip_in_memory() -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["name", "n"])
    sheet.append(["Zoë", 3])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    read = openpyxl.load_workbook(buffer, read_only=True)
    rows = list(read.active.iter_rows(values_only=True))  # type: ignore[union-attr]
    read.close()
    assert rows == [("name", "n"), ("Zoë", 3)]


def test_charset_normalizer_finds_cp1252() -> None:
    from charset_normalizer import from_bytes

    text = "Prénom;Société;Montant\nRenée;Café Crème;12,50\nJérôme;Bœuf & Cie;7,25\n" * 20
    best = from_bytes(text.encode("cp1252"), cp_isolation=["utf_8", "cp1252"]).best()
    assert best is not None
    assert str(best) == text
