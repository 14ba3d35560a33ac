"""bench/naive_import.py, the naive Pyodide baseline, run here under CPython on a small CSV."""

from __future__ import annotations

import json
from pathlib import Path

from bench import csvgen, naive_import


def test_imports_every_row(tmp_path: Path) -> None:
    path, _ = csvgen.cached(tmp_path, 300, seed=3)
    result = naive_import.import_csv(str(path))
    assert result["rows"] == 300
    assert result["seconds"] > 0


def test_run_answers_json(tmp_path: Path) -> None:
    path = tmp_path / "tiny.csv"
    path.write_text('a,"b ""x"""\n1,\n2,"two, quoted"\n', encoding="utf-8")
    assert json.loads(naive_import.run(str(path)))["rows"] == 2


def test_quote() -> None:
    assert naive_import.quote('say "hi"') == '"say ""hi"""'
