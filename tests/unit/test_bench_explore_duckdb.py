"""bench/explore_duckdb.py (page folder, results) and explore_sift.py's probes: no browser."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import explore_duckdb
from bench.explore_queries import FACET, FILTER
from bench.explore_sift import VIEW_PROBE, SiftResult, probes_for, view_problem
from bench.pages import BenchError
from buildtools import site

ROOT = Path(__file__).resolve().parents[2]


def fake_modules(root: Path) -> Path:
    """A node_modules/ with every file the page needs, each holding its own name."""
    dist = root / "@duckdb" / "duckdb-wasm" / "dist"
    files = [dist / name for name in explore_duckdb.DUCKDB_FILES]
    files += [root / "tslib" / "tslib.es6.mjs", root / "apache-arrow" / "Arrow.dom.mjs"]
    files += [root / "apache-arrow" / "ipc" / "reader.mjs", root / "apache-arrow" / "x.js"]
    files += [root / "flatbuffers" / "mjs" / "flatbuffers.js"]
    files += [root / "flatbuffers" / "mjs" / "flexbuffers" / "reference.js"]
    for path in files:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(path.name)
    return root


def test_prepare_page_copies_the_page_and_what_it_imports(tmp_path: Path) -> None:
    page = explore_duckdb.prepare_page(fake_modules(tmp_path / "nm"), tmp_path / "page")
    found = {p.relative_to(page).as_posix() for p in page.rglob("*") if p.is_file()}
    assert found == {
        "explore_duckdb.html",
        "explore_duckdb.js",
        *(f"vendor/duckdb/{name}" for name in explore_duckdb.DUCKDB_FILES),
        "vendor/tslib/tslib.es6.mjs",
        "vendor/apache-arrow/Arrow.dom.mjs",
        "vendor/apache-arrow/ipc/reader.mjs",  # Arrow's modules keep their folders
        "vendor/flatbuffers/mjs/flatbuffers.js",
        "vendor/flatbuffers/mjs/flexbuffers/reference.js",
    }
    # The import map and the module import point at those copies.
    html = (page / "explore_duckdb.html").read_text("utf-8")
    for target in (
        "apache-arrow/Arrow.dom.mjs",
        "tslib/tslib.es6.mjs",
        "flatbuffers/mjs/flatbuffers.js",
    ):
        assert f"./vendor/{target}" in html
    script = (page / "explore_duckdb.js").read_text("utf-8")
    assert '"./vendor/duckdb/duckdb-browser.mjs"' in script
    for name in explore_duckdb.DUCKDB_FILES[1:]:
        assert name in script


def test_prepare_page_without_npm_files_says_to_run_npm_ci(tmp_path: Path) -> None:
    modules = fake_modules(tmp_path / "nm")
    (modules / "@duckdb" / "duckdb-wasm" / "dist" / "duckdb-eh.wasm").unlink()
    with pytest.raises(BenchError, match=r"duckdb-eh\.wasm.*npm ci"):
        explore_duckdb.prepare_page(modules, tmp_path / "page")


def test_result_from_groups_samples_by_measure_in_order() -> None:
    result = explore_duckdb.result_from(
        {
            "bundle": "eh",
            "version": "v1.4.3",
            "loadMs": 2500,
            "rows": 1000,
            "filterCount": 480,
            "samples": [
                {"measure": "filter", "ms": 30},
                {"measure": "facet", "ms": 12.5},
                {"measure": "filter", "ms": 20},
            ],
        }
    )
    assert result.samples == {"filter": [30.0, 20.0], "facet": [12.5]}
    assert (result.bundle, result.version, result.load_s) == ("eh", "v1.4.3", 2.5)
    assert (result.rows, result.filter_count, result.error) == (1000, 480, None)


def test_probes_wait_for_the_view_or_the_facets_section() -> None:
    assert probes_for(FILTER) == [VIEW_PROBE]
    assert probes_for(FACET) == [
        {
            "selector": '#facets section[data-facet-column="district"][data-state=ready]',
            "attribute": "data-state",
        }
    ]


def test_sift_result_keeps_failures_as_none_with_a_reason() -> None:
    result = SiftResult()
    result.add("filter", 120.0)
    result.add("filter", None, "timed out")
    assert result.samples == {"filter": [120.0, None]}
    assert result.problems == ["filter: timed out"]


def test_view_problem_accepts_the_ui_spelling_of_the_same_view() -> None:
    asked = "#table=t&amount__gt=500"
    assert view_problem(asked, "#src=data.csv&table=t&amount__gt=500") == ""
    assert view_problem("#table=t&sort=name", "#table=t&sort=name&facet=") == ""


def test_view_problem_names_what_differs() -> None:
    # A failed view is marked ready too; the UI then shows the previous view's fragment.
    problem = view_problem("#table=t&amount__gt=500", "#table=t&sort=name")
    assert problem == (
        "asked for #table=t&amount__gt=500, the UI shows #table=t&sort=name (sort, filters differ)"
    )
    assert "no fragment" in view_problem("#table=t", "")


@pytest.mark.skipif(
    not (ROOT / "node_modules" / "@duckdb" / "duckdb-wasm").is_dir(), reason="needs `npm ci`"
)
def test_build_ships_none_of_the_benchmark_reference() -> None:
    # DuckDB-WASM is a devDependency: build.py copies named runtime files only.
    shipped = site.runtime_files(ROOT / "node_modules")
    assert shipped  # the runtime itself is there
    for name in shipped:
        assert not any(word in name for word in ("duckdb", "arrow", "flatbuffers", "tslib"))
