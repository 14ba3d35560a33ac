"""The tests/pyodide suite, run inside Pyodide in Chromium with the site's own runtime,
its precompiled standard library and the shipped engine archive (app/engine.zip)."""

from __future__ import annotations

import json
from pathlib import Path

from playwright.sync_api import Page

SUITE = Path(__file__).parent.parent / "pyodide"
BLANK = "__pyodide_suite__.html"  # a same-origin blank page, answered by the test itself

RUN_SUITE = """async (files) => {
  const { loadPyodide } = await import("./runtime/pyodide/pyodide.mjs");
  const py = await loadPyodide({ indexURL: new URL("./runtime/pyodide/", location).href });
  const archive = await (await fetch("./app/engine.zip")).arrayBuffer();
  py.unpackArchive(archive, "zip", { extractDir: "/home/pyodide" });
  py.FS.mkdirTree("/home/pyodide/suite");
  for (const [name, text] of Object.entries(files)) py.FS.writeFile("/home/pyodide/suite/" + name, text);
  return py.runPython("import sys; sys.path.insert(0, '/home/pyodide/suite'); import runner; runner.run('/home/pyodide/suite')",
                      { globals: py.toPy({}), filename: "<suite>" });
}"""


def test_suite_passes_inside_pyodide(page: Page, base_url: str) -> None:
    page.route(
        f"**/{BLANK}",
        lambda route: route.fulfill(
            content_type="text/html", body="<!doctype html><title>s</title>"
        ),
    )
    page.goto(base_url + BLANK)
    files = {path.name: path.read_text() for path in SUITE.glob("*.py")}
    report = json.loads(page.evaluate(RUN_SUITE, files))
    assert report["python"].startswith("3.14"), report["python"]
    results = report["results"]
    assert len(results) >= 5, "the suite should not be empty"
    failures = [r["test"] + "\n" + r["trace"] for r in results if r["outcome"] != "passed"]
    assert failures == []
