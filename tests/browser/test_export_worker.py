"""The engine worker's side of export: the file is written in the worker and handed to the
page as a `blob:` URL, with the view's sort and filters applied (the export buttons are the
UI's; this checks the plumbing they stand on)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from tests.browser.conftest import open_app, open_files, wait_status

# Calls the engine the way the UI does, then reads the file back through its blob: URL.
EXPORT = """async ([command, args]) => {
  const handle = document.querySelector('script[name=engine]').xworker.sync.handle;
  const reply = JSON.parse(await handle(command, JSON.stringify(args)));
  if (!reply.ok) return {reply};
  const bytes = new Uint8Array(await (await fetch(reply.result.url)).arrayBuffer());
  await handle("release", JSON.stringify({url: reply.result.url}));
  return {reply, text: new TextDecoder().decode(bytes), head: Array.from(bytes.slice(0, 4))};
}"""


def export(page: Page, command: str, args: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(EXPORT, [command, args])
    return result


def test_a_filtered_sorted_view_downloads_as_csv_and_excel(
    page: Page, base_url: str, tmp_path: Path
) -> None:
    data = tmp_path / "sales.csv"
    data.write_text("name,amount\nann,3\n=cmd,1\nbob,2\n", encoding="utf-8")
    open_app(page, base_url)
    open_files(page, data)
    wait_status(page, "Loaded sales.csv")
    view = {
        "table": "sales",
        "sort": [{"column": "amount", "desc": True}],
        "filters": [{"column": "amount", "op": "lt", "value": "3"}],
    }
    csv = export(page, "export", {**view, "format": "csv"})
    result = csv["reply"]["result"]
    assert csv["text"] == "name,amount\r\nbob,2\r\n'=cmd,1\r\n"  # a formula is neutralized
    assert (result["name"], result["rows"], result["mime"]) == (
        "sales-filtered.csv",
        2,
        "text/csv;charset=utf-8",
    )
    assert result["url"].startswith("blob:")
    assert result["message"] == "Exported 2 rows of sales to CSV."
    xlsx = export(page, "export", {**view, "format": "xlsx"})
    assert xlsx["head"] == list(b"PK\x03\x04")  # a zip: the .xlsx container
    assert xlsx["reply"]["result"]["rows"] == 2


def test_an_export_of_a_missing_table_is_an_error_reply(page: Page, base_url: str) -> None:
    open_app(page, base_url)
    wait_status(page, "Ready")
    reply = export(page, "export", {"table": "nowhere", "format": "csv"})["reply"]
    assert reply["ok"] is False
    assert "nowhere" in reply["error"]["message"]
