"""The main-thread UI (MicroPython): wires the shell's controls to the engine worker.

The shell is usable before the engine is ready: files, drops and `#src=` links are queued
and opened, in order, once the worker answers. Every engine call goes through `call`, with
JSON text both ways.
"""

import asyncio
import json

import js
from pyscript import workers
from pyscript.ffi import create_proxy

from sift import chart_spec, fragment, view_state
from sift.ui import alerts, progress, retype, tables
from sift.ui.dom import Entered, by_id, entered, page, set_stage

# What the engine worker downloads to start, relative to the page.
ENGINE_ASSETS = (
    "runtime/pyodide/pyodide.mjs",
    "runtime/pyodide/pyodide.asm.mjs",
    "runtime/pyodide/pyodide.asm.wasm",
    "runtime/pyodide/python_stdlib.zip",
    "runtime/pyodide/pyodide-lock.json",
    "app/engine.zip",
)
PROGRESS_DELAY_S = 0.3  # quicker loads show no bar at all
PROGRESS_POLL_S = 0.25
FIRST_ASSET_CHECK_S = 5
NEXT_ASSET_CHECK_S = 10
# run_long: how long the engine may take to answer Cancel, to finish once it has, and to
# overrun a command's own time limit, before the UI gives up on it and restarts the worker.
# A healthy engine answers Cancel in about half a second (bench/sql.py), but a loaded machine
# delayed the answer past 0.5 s and a healthy engine was restarted (CI): give it 3 s.
CANCEL_ANSWER_S = 3
CANCEL_FINISH_S = 5
DEADLINE_GRACE_S = 2
LONG_TICK_S = 0.05
ENGINE_SRC = "./app/start_engine.py"
ENGINE_CONFIG = "./app/py-config.json"
# Commands that write browser storage: leaving the page before one ends would lose the write.
STORING = ("save", "set_type", "rename", "add_column", "drop", "erase", "set_functions")
RESTARTED = "Sift restarted the Python engine; your tables are intact."
NO_ENGINE = "The Python engine is not running. Reload the page to start it again."


async def unreachable(path):
    """Why `path` cannot be fetched, or '' if it can. Only the headers are read."""
    try:
        response = await js.fetch(path)
    except Exception as error:  # a network failure surfaces as a JS TypeError
        return describe(error)
    if not response.ok:
        return "HTTP " + str(response.status)
    await response.body.cancel()
    return ""


def pasted_kind(text):
    """The file extension pasted text deserves: json, tsv (spreadsheet cells) or csv."""
    start = text.lstrip()[:1]
    if start in ("[", "{"):
        return "json"
    first_line = text.split("\n", 1)[0]
    return "tsv" if "\t" in first_line else "csv"


async def stored_sources():
    """{source: [table, ...]} of the tables this browser keeps, so a link's `src=` already
    stored is not downloaded and imported a second time."""
    found = {}
    for entry in await tables.stored_tables():
        found.setdefault(entry["source"], []).append(entry["name"])
    return found


def now_s():
    """Seconds on the page's monotonic clock (MicroPython's time module varies by port)."""
    return js.performance.now() / 1000


def restart_reply(kind, label, seconds, note=RESTARTED):
    """The error reply of a command the engine would not stop (`note`: what became of it)."""
    if kind == "timeout":
        message = label + " went past its time limit (" + str(seconds) + " s) and did not stop. "
        hint = "Give it a longer time limit, or make it do less (a LIMIT, a WHERE)."
    else:
        message = label + " did not stop when cancelled. "
        hint = "Python code in a loop that never ends cannot be interrupted: check it."
    return {
        "ok": False,
        "error": {"kind": kind, "message": message + note, "hint": hint, "restarted": True},
    }


def stuck_reason(run, now, seconds):
    """'cancelled' or 'timeout' when a run_long's engine must be restarted, else ''.

    A loaded machine answers slowly without being stuck (measured here under load: calls
    answered after 0.9 to 1.7 s mid-query), so Cancel waits CANCEL_ANSWER_S or twice the
    slowest `progress` answer of this run, whichever is longer. An engine stuck in Python
    answered none of them: it gets CANCEL_ANSWER_S.
    """
    if run["cancel_at"] is not None:
        waited = now - run["cancel_at"]
        patience = max(CANCEL_ANSWER_S, 2 * run["slowest"])
        if not run["answered"] and waited > patience:
            return "cancelled"
        if run["answered"] and waited > CANCEL_FINISH_S + patience:
            return "cancelled"
    if seconds and now - run["started"] > seconds + DEADLINE_GRACE_S + run["slowest"]:
        return "timeout"
    return ""


def describe(error):
    """A readable line for an exception; MicroPython's JsException args are (proxy, type, text)."""
    args = getattr(error, "args", ())
    if len(args) == 3 and isinstance(args[1], str):
        return args[1] + ": " + str(args[2])
    return str(error) or type(error).__name__


async def missing_asset():
    """Which start-up file cannot be downloaded, as a sentence, or ''."""
    for path in ENGINE_ASSETS:
        problem = await unreachable(path)
        if problem:
            return "the file " + path + " could not be downloaded (" + problem + ")."
    return ""


class App:
    def __init__(self):
        self.engine = None
        self.jobs = []
        self.running = False
        self.proxies = []
        self.tasks = []
        self.loading = False
        self.storing = 0  # STORING commands under way (on_before_unload)
        self.panel = tables.Panel(self)
        self.view = None
        self.query = None  # the SQL panel (sift.ui.query_panel), once imported
        self.chart = None  # the chart panel (sift.ui.chart_panel), once imported
        self.link_tables = []  # tables the current link's src= values gave, in order
        self.link_notes = []  # what the status said about them (kept in the view's message)
        self.unknown_note = ""  # what the status said about the link's unknown parameters
        self.shown_types = None  # the column types the types panel shows
        self.long_run = None  # the run_long in progress: {"cancel": bool, ...}
        self.engine_script = None  # the <script type="py" worker> of the engine
        self.engine_count = 0  # engines started after the first (their names: engine-N)
        self.restart_listeners = []  # called (no argument) once a restarted engine is up
        self.starting_message = "Starting the Python engine… You can already open a file."
        self.ready_message = "Ready. Open a file to explore it."
        self.restart_note = RESTARTED  # how a stuck command's error ends (run_long)
        # A loaded table's first page waits for its link's view (sift.ui.view.hold). The app
        # shows it at once: a big file's sort may take seconds.
        self.hold_for_link = False

    def spawn(self, coroutine):
        """Run a coroutine in the background (in this page: sift.ui.dom.Entered), holding a
        reference until it ends."""
        task = asyncio.create_task(Entered(coroutine))
        self.tasks.append(task)
        self.tasks = [t for t in self.tasks if not t.done()]

    def listen(self, target, event_name, handler):
        proxy = create_proxy(entered(handler))
        self.proxies.append(proxy)  # a proxy must outlive the listener
        target.addEventListener(event_name, proxy)

    def start(self):
        self.listen(by_id("open-file"), "change", self.on_files_chosen)
        self.listen(by_id("url-form"), "submit", self.on_url_submit)
        self.listen(by_id("cancel"), "click", self.on_cancel)
        self.listen(by_id("types-list"), "change", self.on_type_chosen)
        self.panel.start()
        self.listen(page.document, "dragover", self.on_drag_over)
        self.listen(page.document, "dragleave", self.on_drag_leave)
        self.listen(page.document, "drop", self.on_drop)
        self.listen(page.window, "hashchange", self.on_hash_change)
        self.listen(page.window, "beforeunload", self.on_before_unload)
        self.listen(page.document, "paste", self.on_paste)
        page.document.documentElement.setAttribute("data-sift-ui", "ready")
        set_stage("ui", "done")
        set_stage("engine", "active")
        alerts.say(self.starting_message)
        self.queue_chosen_files()
        self.spawn(self.start_explore())
        self.spawn(self.connect())
        self.spawn(self.watch_engine_assets())

    async def start_explore(self):
        """The grid, its view controller and the panels, then the link's sources and view.

        Imported once the shell answers input rather than before: the first screen shows no
        table, and compiling these modules costs MicroPython about 80 ms (bench/startup.py).
        Jobs wait for them (run_jobs), and the engine takes longer to start anyway.
        """
        await asyncio.sleep(0)  # let the browser handle input and paint first
        from sift.ui import view

        self.view = view.ViewController(self)
        self.view.listeners.append(self.on_view)
        self.start_panels()
        self.queue_fragment()
        self.run_jobs()

    def start_panels(self):
        """The panels around the grid: search and filters, facets, profiles, SQL, Python,
        chart, export and embed (each puts its buttons in #query-tools)."""
        from sift.ui import (
            chart_panel,
            embed_button,
            export_menu,
            panels,
            python_panel,
            query_panel,
        )

        panels.start(self, self.view)
        self.query = query_panel.start(self, self.view)
        python_panel.start(self, self.view)
        self.chart = chart_panel.start(self, self.view)
        export_menu.start(self, self.view)
        embed_button.start(self, self.view)

    async def connect(self):
        try:
            self.engine = await self.find_engine()
            reply = await self.call("tables", {})  # the lightest call: the engine answers
        except Exception as error:  # the worker could not start: final, never a spinner
            self.fail_start(await missing_asset() or describe(error))
            return
        if not reply.get("ok"):
            self.fail_start(reply["error"]["message"])
            return
        set_stage("engine", "done")
        by_id("boot").hidden = True
        page.document.documentElement.setAttribute("data-sift-state", "ready")
        if not self.jobs and self.ready_message:
            alerts.say(self.ready_message)
        self.run_jobs()
        await self.after_ready()

    async def find_engine(self):
        """The engine: the page's PyScript worker (an embed's is shared, see embed_app)."""
        self.engine_script = page.document.querySelector('script[type="py"][worker]')
        return await workers["engine"]

    async def after_ready(self):
        await self.panel.refresh()

    def query_failed(self, error):
        """A query failed, and the SQL panel shows why; an embedded widget says more."""
        return

    async def watch_engine_assets(self):
        """Pyodide hangs rather than fails when a runtime file cannot be downloaded, and the
        worker cannot tell us. So while start-up is slow, check the files it needs ourselves."""
        delay = FIRST_ASSET_CHECK_S
        while self.engine is None:
            await asyncio.sleep(delay)
            delay = NEXT_ASSET_CHECK_S
            if self.engine is not None or self.failed():
                return
            problem = await missing_asset()
            if problem:
                self.fail_start(problem)
                return

    def failed(self):
        return page.document.documentElement.getAttribute("data-sift-state") == "failed"

    def fail_start(self, detail):
        if self.failed():
            return
        page.document.documentElement.setAttribute("data-sift-state", "failed")
        alerts.show_error(
            {
                "message": "Sift could not start the Python engine: " + detail,
                "hint": "Check your connection and reload the page. If it keeps failing, "
                "clear this site's data in your browser settings and reload.",
            }
        )
        alerts.say("Start-up failed.")

    async def call(self, command, args):
        while self.engine is None:  # still starting, or restarting (run_long): wait for it
            if self.failed():
                return {"ok": False, "error": {"kind": "internal", "message": NO_ENGINE}}
            await asyncio.sleep(LONG_TICK_S)
        storing = 1 if command in STORING else 0
        self.storing += storing
        try:
            raw = await self.engine.handle(command, json.dumps(args))
        finally:
            self.storing -= storing
        return json.loads(raw)

    def on_before_unload(self, event):
        """Closing or reloading mid-save would lose the table: the browser asks first."""
        if self.storing:
            event.preventDefault()
            event.returnValue = ""  # what older browsers look for

    # Long commands: a query, Python over every row. Cancel, and restart when stuck.
    async def run_long(self, command, args, label, seconds=None):
        """Run one engine command with the progress panel and its Cancel.

        The worker answers `cancel` between steps of the work (Session.poll). When it does
        not answer within CANCEL_ANSWER_S (Python code stuck in a loop), or the command runs
        DEADLINE_GRACE_S past its own time limit `seconds`, the worker is ended and a new one
        started, which restores the stored tables; the reply is then an error of kind
        "cancelled" or "timeout" saying so.
        """
        run = {"cancel_at": None, "answered": False, "done": False, "reply": None}
        run["started"] = now_s()
        run["slowest"] = 0  # the longest a `progress` call took to be answered in this run
        run["polling"] = False
        self.long_run = run
        self.spawn(self.long_call(run, command, args))
        shown = False
        last_poll = 0
        try:
            while not run["done"]:
                await asyncio.sleep(LONG_TICK_S)
                now = now_s()
                if run["done"]:
                    break
                if not shown and now - run["started"] > PROGRESS_DELAY_S:
                    shown = True
                    progress.show({"label": label, "percent": None, "text": ""})
                if shown and now - last_poll > PROGRESS_POLL_S and not run["polling"]:
                    last_poll = now
                    self.spawn(self.long_progress(run))
                stuck = stuck_reason(run, now, seconds)
                if stuck:
                    await self.restart_engine(label)
                    return restart_reply(stuck, label, seconds, self.restart_note)
            return run["reply"]
        finally:
            if self.long_run is run:  # (a second run_long, queued in the engine, replaced it)
                self.long_run = None
            progress.hide()

    async def long_call(self, run, command, args):
        try:
            run["reply"] = await self.call(command, args)
        except Exception as error:  # the worker failed: an error reply, never a traceback
            run["reply"] = {
                "ok": False,
                "error": {"kind": "internal", "message": "Internal error: " + describe(error)},
            }
        run["done"] = True

    async def long_progress(self, run):
        """One `progress` call at a time (a stuck engine answers none); its answer time
        tells how busy the machine is."""
        run["polling"] = True
        asked = now_s()
        try:
            reply = await self.call("progress", {})
        finally:
            run["polling"] = False
        run["slowest"] = max(run["slowest"], now_s() - asked)
        snapshot = reply.get("result") if reply.get("ok") else None
        if snapshot and self.long_run is run and not run["done"]:
            snapshot = dict(snapshot)
            if not snapshot.get("rows"):
                snapshot["text"] = "Running for " + str(int(now_s() - run["started"])) + " s"
            progress.show(snapshot)

    def cancel_long(self):
        """Cancel the run_long in progress (the progress panel's or a panel's Cancel)."""
        run = self.long_run
        if run is None or run["cancel_at"] is not None:
            return
        run["cancel_at"] = now_s()
        alerts.say("Cancelling…")
        self.spawn(self.ask_cancel(run))

    async def ask_cancel(self, run):
        await self.call("cancel", {})
        run["answered"] = True

    async def restart_engine(self, label):
        """End the engine worker and start a new one; its tables come back from storage."""
        progress.show(
            {
                "label": "Restarting the Python engine…",
                "percent": None,
                "text": label + " did not stop.",
            }
        )
        alerts.say("Restarting the Python engine…")
        old = self.engine_script
        self.engine = None  # calls wait until the new engine is up
        if old is not None:
            old.xworker.terminate()
            old.remove()
        self.engine_count += 1
        self.engine = await self.start_worker("engine-" + str(self.engine_count))
        await self.panel.refresh()  # `workspace` restores the stored tables
        reply = await self.call("restore_notes", {})
        if not reply["ok"]:
            alerts.show_error(reply["error"])
        await self.after_restart()

    async def start_worker(self, name):
        """A new engine worker named `name`: its exported functions, once it is up."""
        script = page.document.createElement("script")
        for key, value in (
            ("type", "py"),
            ("worker", ""),
            ("name", name),
            ("src", ENGINE_SRC),
            ("config", ENGINE_CONFIG),
        ):
            script.setAttribute(key, value)
        page.document.body.append(script)  # PyScript starts every script added to the page
        self.engine_script = script
        return await workers[name]

    async def after_restart(self):
        """The new engine has no query results: a view of one goes; others reload."""
        if self.view is not None and self.view.state.get("table"):
            if self.view.is_result():
                self.forget_current()
            else:
                await self.view.reload()
        for listener in self.restart_listeners:
            listener()

    # Sources: each becomes a job, opened in order once the engine is ready.
    def queue(self, job):
        self.jobs.append(job)
        if self.engine is None and job.get("kind") != "view":
            alerts.say("Will open " + job["name"] + " as soon as the engine is ready…")
        self.run_jobs()

    def queue_chosen_files(self):
        chooser = by_id("open-file")
        files = chooser.files
        for index in range(files.length):
            file = files.item(index)
            self.queue(
                {"url": page.window.URL.createObjectURL(file), "name": file.name, "blob": True}
            )
        chooser.value = ""

    def queue_url(self, text, link=False):
        """Resolve `text` against the page; refuse what is not http(s) before any request.
        A URL from a link (`link`) is not imported again when storage already has it."""
        # Ask first: a JS exception from the URL constructor would escape MicroPython's try.
        if not page.window.URL.canParse(text, page.document.baseURI):
            alerts.show_error(
                {
                    "message": text + " is not a valid URL.",
                    "hint": "Check the address, for example https://example.org/data.csv",
                }
            )
            return
        url = page.window.URL.new(text, page.document.baseURI).href
        problem = fragment.scheme_problem(url)
        if problem:
            alerts.show_error({"message": "Cannot open " + text + ".", "hint": problem})
            return
        job = {"url": url, "name": fragment.name_from_url(url), "blob": False, "source": url}
        job["link"] = link
        self.queue(job)

    def queue_fragment(self):
        """A link: its sources load first, then its view applies (to the table it names, or
        the first table its sources gave)."""
        pairs = fragment.parse_fragment(page.window.location.hash)
        sources = fragment.sources(pairs)
        self.view.sources = sources
        self.link_tables = []
        self.link_notes = []
        for src in sources:
            self.queue_url(src, link=True)
        state = view_state.parse_view(pairs)
        sql = view_state.parse_sql(pairs)
        if sql:  # the view applies to the query's result
            self.queue({"kind": "sql", "sql": sql, "state": state, "name": "the linked query"})
        elif view_state.view_pairs(state):
            self.queue({"kind": "view", "state": state, "name": "the linked view"})
        ignored = self.queue_chart(pairs)
        unknown = view_state.unknown_keys(pairs)
        self.unknown_note = ""  # kept for a link's query, whose result line comes later
        notes = []
        if unknown:
            notes.append(
                "This link has parameters Sift does not know yet, ignored: "
                + ", ".join(unknown)
                + "."
            )
        if ignored:
            notes.append("Its chart has parts Sift does not know, ignored: " + ignored + ".")
        if notes:
            self.unknown_note = " ".join(notes)
            alerts.say(self.unknown_note)

    def queue_chart(self, pairs):
        """A link's `view=chart&chart=...`: the chart panel opens on it with the link's view.
        Returns the chart text's ignored parts, as words ('' for none)."""
        mode = chart_spec.parse_view_mode(pairs)
        text = chart_spec.chart_text(pairs)
        spec = chart_spec.parse_chart(text) if text is not None else None
        ignored = spec.pop("ignored", []) if spec is not None else []
        if self.chart is not None:
            self.chart.from_link(mode, spec)
        return ", ".join(ignored)

    def run_jobs(self):
        ready = self.engine is not None and self.view is not None
        if ready and not self.running and self.jobs:
            self.running = True
            self.spawn(self.drain())

    async def drain(self):
        try:
            while self.jobs:
                job = self.jobs.pop(0)
                kind = job.get("kind")
                if kind == "show":
                    await self.show(job["name"])
                elif kind == "view":
                    await self.apply_link(job["state"])
                elif kind == "sql":
                    await self.query.run_link(job["sql"], job["state"])
                else:
                    await self.open(job)
        finally:
            self.running = False

    async def show(self, table):
        alerts.clear_error()
        await self.view.open_table(table)

    async def apply_link(self, state):
        """A link's view, once its sources are in (stored tables restored first)."""
        if state["table"] is None:
            if not self.link_tables:
                return
            state["table"] = self.link_tables[0]
        await self.restore_for_link(state["table"])
        await self.view.adopt(state, " ".join(self.link_notes))

    async def restore_for_link(self, table):
        """A link may name a stored table the engine has not restored yet."""
        if table not in [entry["name"] for entry in self.panel.tables]:
            await self.restore_stored()

    async def restore_stored(self):
        """Bring back the tables storage keeps (the engine restores them on `workspace`)."""
        await self.panel.refresh()

    def on_view(self, reply):
        """Every view reply: the column types panel and the tables list follow the table."""
        table = reply["table"]
        by_id("welcome").hidden = True
        types = reply.get("types", [])
        if self.view.is_result():  # a query's result: its types are the query's to set
            retype.hide()
            self.shown_types = None
        elif table != self.panel.current or types != self.shown_types:
            retype.render(table, reply["columns"], types)
            self.shown_types = types
        if table != self.panel.current:
            self.panel.current = table
            self.panel.redraw()

    def forget_current(self):
        if self.view is not None:
            self.view.forget()
        retype.hide()
        self.panel.current = None

    def on_type_chosen(self, event):
        select = event.target
        args = {
            "table": select.getAttribute("data-table"),
            "column": select.getAttribute("data-column"),
            "type": select.value,
        }
        self.spawn(self.retype(args, select))

    async def retype(self, args, select):
        alerts.say("Changing " + args["column"] + "…")
        reply = await self.call("set_type", args)
        if not reply["ok"]:
            select.value = select.getAttribute("data-current")
            alerts.show_error(reply["error"])
            return
        message = reply["result"]["message"]
        await self.view.reload()
        alerts.say(message)
        self.panel.changed()

    async def open(self, job):
        alerts.clear_error()
        if job.get("link") and await self.reuse_stored(job):
            return
        alerts.say("Opening " + job["name"] + "…")
        self.loading = True
        self.spawn(self.watch_progress())
        try:
            reply = await self.call("load_url", {"url": job["url"], "name": job["name"]})
        finally:
            self.loading = False
            progress.hide()
            if job["blob"]:
                page.window.URL.revokeObjectURL(job["url"])
        if reply["ok"]:
            result = reply["result"]
            message = self.show_loaded(result)
            tables = [entry["table"] for entry in result.get("tables", [])] or [result["table"]]
            if job.get("link"):
                self.link_tables.extend(tables)
            await self.save(tables, job.get("source") or result["name"], message)
        elif reply["error"].get("kind") == "cancelled":
            alerts.say(reply["error"]["message"])
        else:
            alerts.show_error(reply["error"])
            alerts.say("Could not open " + job["name"] + ".")

    async def watch_progress(self):
        """Poll the engine while a load runs; show the bar once it takes a moment."""
        await asyncio.sleep(PROGRESS_DELAY_S)
        while self.loading:
            reply = await self.call("progress", {})
            if self.loading and reply.get("ok") and reply["result"]:
                progress.show(reply["result"])
            await asyncio.sleep(PROGRESS_POLL_S)

    def on_cancel(self, event):
        if self.long_run is not None:
            self.cancel_long()
            return
        alerts.say("Cancelling…")
        self.spawn(self.call("cancel", {}))

    async def reuse_stored(self, job):
        """A link's source this browser already keeps: use those tables, do not import."""
        names = (await stored_sources()).get(job["source"])
        if not names:
            return False
        self.link_tables.extend(names)
        note = (
            job["name"] + " is already among your tables (" + ", ".join(names) + "): "
            "not downloaded again."
        )
        self.link_notes.append(note)
        await self.panel.refresh()
        await self.view.open_table(names[0], "quiet")
        alerts.say(note)
        return True

    def show_loaded(self, result):
        if self.hold_for_link and self.jobs and self.jobs[0].get("kind") == "view":
            self.view.hold(result["page"])
        else:
            self.view.show_page(result["page"])
        message = result["message"]
        if result.get("warnings"):
            message = message + " " + " ".join(result["warnings"])
        alerts.say(message)
        return message

    async def save(self, tables, source, message):
        """Keep the new tables in browser storage, after they are already on screen."""
        reply = await self.call("save", {"tables": tables, "source": source})
        if not reply["ok"]:
            alerts.show_error(reply["error"])
        elif reply["result"]["problems"]:
            alerts.say(message + " " + " ".join(reply["result"]["problems"]))
        else:
            await self.panel.keep_storage()
        self.panel.changed()

    # Event handlers (sync, as the DOM calls them).
    def on_files_chosen(self, event):
        self.queue_chosen_files()

    def on_url_submit(self, event):
        event.preventDefault()
        text = by_id("url-input").value.strip()
        if not text:
            alerts.show_error(
                {
                    "message": "Type or paste the URL of a CSV file first.",
                    "hint": "For example https://example.org/data.csv",
                }
            )
            return
        self.queue_url(text)

    def on_drag_over(self, event):
        event.preventDefault()
        by_id("drop-overlay").hidden = False

    def on_drag_leave(self, event):
        if event.relatedTarget is None:
            by_id("drop-overlay").hidden = True

    def on_drop(self, event):
        event.preventDefault()
        by_id("drop-overlay").hidden = True
        files = event.dataTransfer.files
        for index in range(files.length):
            file = files.item(index)
            self.queue(
                {"url": page.window.URL.createObjectURL(file), "name": file.name, "blob": True}
            )

    def on_paste(self, event):
        """Text pasted on the page (not into a field) opens as a table: cells copied from a
        spreadsheet arrive as tab-separated text. Only text/plain is read, never text/html."""
        if event.target.closest("input, textarea, [contenteditable]"):
            return
        text = event.clipboardData.getData("text/plain")
        if not text.strip():
            return
        event.preventDefault()
        parts = js.Array.new()
        parts.push(text)
        blob = js.Blob.new(parts)
        name = "pasted." + pasted_kind(text)
        self.queue({"url": page.window.URL.createObjectURL(blob), "name": name, "blob": True})

    def on_hash_change(self, event):
        if self.view is not None:  # until then, start_explore reads the fragment itself
            self.queue_fragment()
