"""The full-text index's progress (MicroPython): built chunk by chunk on first search.

The first time someone searches a table whose index is not ready, the engine's
`search_build` is called again and again (other calls interleave, and searching works
meanwhile through a slower scan) and the bar beside the search box shows how far it is.
Imports: sift.number_format and sift.ui (alerts, dom).
"""

import asyncio

from sift.number_format import grouped
from sift.ui import alerts
from sift.ui.dom import by_id

PAUSE_S = 0  # yield to the event loop between chunks so clicks and views go first


def progress_text(result):
    """'Indexing for search: 40% (4,000 of 10,000 rows)'."""
    total = result.get("rows_total") or 0
    done = result.get("rows_done") or 0
    share = 100 if total <= 0 else min(100, done * 100 // total)
    return (
        "Indexing for search: "
        + str(share)
        + "% ("
        + grouped(done)
        + " of "
        + grouped(total)
        + " rows)"
    )


class SearchIndex:
    def __init__(self, app, controller):
        self.app = app
        self.controller = controller
        self.building = None  # the table being indexed
        self.ready = []  # tables known to be indexed in this session's view of the engine

    def update(self, view):
        """After each view: start building when the view searches and the index is not done."""
        table = view.get("table")
        state = view.get("search", "none")
        if state == "ready":
            if table not in self.ready:
                self.ready.append(table)
            return
        if table in self.ready:
            self.ready.remove(table)  # the table changed since: the engine dropped its index
        if self.building is not None and self.building != table:
            self.building = None  # another table is shown: that build stops after its chunk
            self.hide()
        if (self.controller.state.get("q") or "") and self.building is None:
            self.building = table
            self.app.spawn(self.build(table))

    def forget(self):
        """The table is gone from the screen: stop after the current chunk."""
        self.building = None
        self.hide()

    async def build(self, table):
        shown = False
        done = False
        try:
            while self.building == table and not done:
                reply = await self.app.call("search_build", {"table": table})
                if not reply["ok"]:
                    self.hide()
                    alerts.show_error(reply["error"])
                    return
                done = bool(reply["result"].get("done"))
                if not done:
                    if not shown:
                        shown = True
                        alerts.say("Building the search index for " + table + "…")
                    self.show(reply["result"])
                    await asyncio.sleep(PAUSE_S)
        finally:
            if self.building == table:
                self.building = None
        if not done:
            return  # another table was chosen: its index is built when it is searched
        self.hide()
        if table not in self.ready:
            self.ready.append(table)
        if shown:
            # The scan and the index find the same rows, so the view need not be asked again.
            alerts.say("Search index for " + table + " is ready.")

    def show(self, result):
        box = by_id("search-progress")
        box.hidden = False
        total = result.get("rows_total") or 0
        bar = by_id("search-progress-bar")
        bar.value = 100 if total <= 0 else min(100, (result.get("rows_done") or 0) * 100 // total)
        by_id("search-progress-text").textContent = progress_text(result)

    def hide(self):
        by_id("search-progress").hidden = True
