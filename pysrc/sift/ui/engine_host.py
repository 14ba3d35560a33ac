"""The engine worker's edge (Pyodide): turns the UI's JSON calls into Session commands.

Files arrive as URLs (a `blob:` URL for a local File, or http(s)). The response body is kept
as a browser Blob and mounted with Emscripten's WORKERFS, so Python streams it in chunks and
the whole file is never copied into the wasm heap.

While an import or a query runs, it yields to the event loop now and then (JSPI's run_sync,
from the import's progress callback or from Session.poll), so the UI's "progress" and "cancel"
calls are answered mid-way. Query history, saved queries and the user's Python functions are
stored beside the tables ("notes") and come back the first time they are needed.
"""

import asyncio
import json
import os
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

import js  # type: ignore[import-not-found]
import pyodide_js  # type: ignore[import-not-found]
from pyodide.ffi import JsException, can_run_sync, run_sync  # type: ignore[import-not-found]

from sift.errors import LoadError, SiftError
from sift.jobs import Job
from sift.limits import check_size, human_size
from sift.session import Session, error_reply, internal_error_reply, no_poll, reply_for
from sift.ui import storage_host as storage

SESSION = Session()
MOUNT = "/mnt/incoming"
READ_BUFFER = 1 << 20
YIELD_EVERY_S = 0.05  # how often long work lets other calls in; Cancel needs < 0.5 s
RETRY = "Run it again when you want it."
# Commands that may run long, and what their Cancel leaves (docs/query-contract.md).
WATCHED = {
    "sql": ("The query", "nothing was changed"),
    "add_column": ("Adding the column", "the table is unchanged"),
    "column_preview": ("The preview", "nothing was changed"),
    "set_functions": ("Saving the functions", "the previous functions are kept"),
    "save_result": ("Saving the result", "no table was made"),
}
EXPORTS = {"export": "Exporting", "export_workspace": "Exporting the workspace"}
EXPORT_PATH = "/tmp/sift-export"  # MEMFS: read back into a Blob, then removed
# Commands that read the notes, and those of them that change them.
NOTES_READERS = frozenset(
    {"sql", "queries", "save_query", "delete_query", "functions", "set_functions"}
)
NOTES_WRITERS = frozenset({"sql", "save_query", "delete_query", "set_functions"})
CORS_HINT = "Check the address, or download the file and open it with Open file."
CORS_HINT_EMBED = (
    "Check the address. A file on another site can be shown only if its server allows it: "
    "it must send the header Access-Control-Allow-Origin (Sift's README, Embed)."
)
EMBED_KEPT_RESULTS = 64  # widgets on one page, each showing a query's result
NOT_KEPT = "An embedded Sift keeps nothing in this browser's storage."
NOT_KEPT_HINT = "Open the data in Sift itself (Open in Sift) to keep it."


class Engine:
    """The worker's state: the session and the import the UI may be watching."""

    def __init__(self) -> None:
        self.job: Job | None = None
        # One command at a time touches the database: an import yields mid-way (see
        # `yielding`), and e.g. an ATTACH for storage must not land inside its savepoint.
        self.busy = asyncio.Lock()
        self.notes = Notes()
        # False in an embed's engine (web/embed-worker.mjs): a widget keeps nothing, and a
        # third-party frame may have no storage at all (a browser blocking third-party data).
        self.keeps = True
        self.embedded = False  # its files are another site's: their errors say so

    async def handle(self, command: str, args: dict[str, Any]) -> dict[str, Any]:
        if command == "progress":
            return {"ok": True, "result": self.job.snapshot() if self.job else None}
        if command == "memory":  # the wasm heap only grows: its size is the peak so far
            return {"ok": True, "result": {"memory": heap_bytes()}}
        if command == "cancel":
            if self.job:
                self.job.cancel()
            return {"ok": True, "result": self.job is not None}
        async with self.busy:
            if command == "load_url":
                return await self.load_url(args["url"], args["name"])
            if command in STORAGE_COMMANDS:
                if not self.keeps and command != "release":
                    return error_reply(SiftError(NOT_KEPT, hint=NOT_KEPT_HINT))
                return await guarded(STORAGE_COMMANDS[command](args))
            if command in EXPORTS:
                return self.export(command, args)
            if command == "restore_notes":  # a restarted engine: its notes come back now
                return await guarded(self.notes.restored())
            if command in NOTES_READERS and self.keeps:
                await self.notes.restored()
            if command not in WATCHED:
                reply = SESSION.handle(command, args)
            else:
                reply = self.watched(command, args)
                if reply["ok"] and self.keeps:
                    await stored_changes(command, reply["result"])
            if command in NOTES_WRITERS and self.keeps:
                await self.notes.save(reply)
            return reply

    def export(self, command: str, args: dict[str, Any]) -> dict[str, Any]:
        """Write an export to a scratch file, then hand it to the page as a `blob:` URL
        (the bytes move to JS memory: the wasm heap never holds the whole file)."""
        self.job = job = Job(EXPORTS[command], outcome="nothing was exported", retry=RETRY)
        SESSION.poll = letting_others_in(job)
        try:
            reply = SESSION.handle(command, {**args, "path": EXPORT_PATH, "progress": job.update})
        finally:
            SESSION.poll = no_poll
            self.job = None
        if reply["ok"]:
            result = reply["result"]
            data = pyodide_js.FS.readFile(result.pop("path"))
            os.remove(EXPORT_PATH)
            kind = js.Object.fromEntries([["type", result["mime"]]])
            result["url"] = js.URL.createObjectURL(js.Blob.new([data], kind))
        return reply

    def watched(self, command: str, args: dict[str, Any]) -> dict[str, Any]:
        """Run a command that may take long, with Cancel able to stop it mid-way."""
        label, outcome = WATCHED[command]
        self.job = job = Job(label, outcome=outcome, retry=RETRY)
        SESSION.poll = letting_others_in(job)
        try:
            return SESSION.handle(command, args)
        finally:
            SESSION.poll = no_poll
            self.job = None

    async def load_url(self, url: str, name: str) -> dict[str, Any]:
        try:
            blob = await fetch_blob(url, name, embedded=self.embedded)
            check_size(name, int(blob.size))
        except SiftError as error:
            return error_reply(error)
        if self.keeps:
            await storage.restore_missing(SESSION)  # another tab's tables keep their names
        self.job = job = Job(f"Importing {name}", total_bytes=int(blob.size))
        try:
            # Big reads: each read of a WORKERFS file is a FileReaderSync call in the browser.
            with mounted(blob) as path, open(path, "rb", buffering=READ_BUFFER) as stream:
                reply = reply_for(lambda: SESSION.load(name, stream, progress=yielding(job)))
        finally:
            self.job = None
        return reply  # the UI asks for "save" next, so the table shows without waiting


class Notes:
    """Query history, saved queries and Python functions: stored beside the tables, and
    restored once per engine, the first time a command needs them (never at start-up, so a
    stored function that misbehaves cannot stop the engine from starting)."""

    def __init__(self) -> None:
        self.loaded = False
        self.problem: str | None = None  # why the stored functions could not be registered

    async def restored(self) -> dict[str, Any]:
        # Imported here, as sift.session imports feature packages: not on the engine's start.
        from sift.pycode.commands import restore_functions
        from sift.query import history

        if not self.loaded:
            self.loaded = True
            notes = await storage.load_notes()
            history.load(SESSION, notes.get("queries"))
            source = notes.get("functions")
            if isinstance(source, str) and source.strip():
                self.problem = restore_functions(SESSION, source)
        return {"problem": self.problem}

    async def save(self, reply: dict[str, Any]) -> None:
        """Store the notes after a change; a failure is told in the reply, never raised."""
        from sift.pycode.commands import functions_source
        from sift.query import history

        notes = {"queries": history.dump(SESSION), "functions": functions_source(SESSION)}
        try:
            await storage.save_notes(notes)
        except storage.StorageError as error:
            if reply["ok"] and "message" in reply["result"]:
                reply["result"]["message"] += (
                    f" (The query history could not be saved in this browser: {error.name}.)"
                )


async def stored_changes(command: str, result: dict[str, Any]) -> None:
    """Store the tables a query or a new column changed, and forget those a query dropped."""
    changed = result.get("changed_tables", []) if command == "sql" else []
    if command == "add_column":
        changed = [result["table"]]
    sources = {entry["name"]: entry["source"] for entry in await storage.listing()}
    problems = [await keep(table, sources.get(table, "SQL")) for table in changed]
    for table in result.get("dropped_tables", []) if command == "sql" else []:
        await storage.forget(table)
    problems = [problem for problem in problems if problem]
    if problems and "message" in result:
        result["message"] += " " + " ".join(problems)


def letting_others_in(job: Job) -> Any:
    """Session.poll for a job: every so often let the event loop run (so Cancel can arrive),
    then raise Cancelled if it did."""
    last = time.monotonic()

    def poll() -> None:
        nonlocal last
        if can_run_sync() and time.monotonic() - last > YIELD_EVERY_S:
            run_sync(timer_turn())
            last = time.monotonic()
        job.check()

    return poll


def timer_turn() -> Any:
    """A promise resolved by a timer task: awaiting it lets the worker's queued messages run.
    Not asyncio.sleep(0): Pyodide resumes that from a MessageChannel task, which Chromium
    runs ahead of the page's calls, so a Cancel waited ~490 ms for its turn (measured)."""
    return js.Promise.new(lambda resolve, _reject: js.setTimeout(resolve, 0))


def yielding(job: Job) -> Any:
    """An import's progress callback: records figures, and lets other calls in."""
    poll = letting_others_in(job)

    def progress(rows: int, done_bytes: int) -> None:
        poll()
        job.update(rows, done_bytes)

    return progress


async def keep(table: str, source: str) -> str:
    """Store a table; '' when stored, else a sentence (the table stays usable in this tab)."""
    try:
        await storage.save(SESSION, table, source)
    except storage.StorageError as error:  # QuotaExceededError, or OPFS's AbortError variant
        figures = await storage.usage()
        return (
            f"{table} could not be saved in this browser ({error.name}): it is kept in this tab "
            f"only. Storage used: {human_size(figures['usage'])} of {human_size(figures['quota'])}."
        )
    return ""


async def guarded(action: Awaitable[Any]) -> dict[str, Any]:
    """Run a storage command; any failure becomes the one error reply shape."""
    try:
        return {"ok": True, "result": await action}
    except SiftError as error:
        return error_reply(error)
    except Exception as error:  # storage faults come from the browser: show, never crash
        return internal_error_reply(error)


async def workspace(_args: dict[str, Any]) -> dict[str, Any]:
    """Tables (after restoring any stored ones) and storage use, for the tables panel."""
    problems, index = await storage.restore_missing(SESSION)
    sizes = {name: entry.get("bytes", 0) for name, entry in index["tables"].items()}
    tables = [{**t, "bytes": sizes.get(t["name"], 0)} for t in SESSION.tables()]
    tables.sort(key=lambda table: str(table["name"]).lower())  # as the index lists them
    memory = heap_bytes()
    return {
        "tables": tables,
        "problems": problems,
        "usage": await storage.usage(),
        "memory": memory,
    }


async def forget_table(args: dict[str, Any]) -> dict[str, Any]:
    reply = SESSION.handle("drop", {"table": args["table"]})
    if not reply["ok"]:
        raise SiftError(reply["error"]["message"], hint=reply["error"]["hint"])
    await storage.forget(reply["result"]["table"])
    return dict(reply["result"])


async def erase_everything(_args: dict[str, Any]) -> dict[str, Any]:
    for name in SESSION.workspace.table_names():
        SESSION.workspace.drop(name)
    await storage.erase_all()
    return {"message": "All your data in Sift was erased from this browser."}


async def rename_table(args: dict[str, Any]) -> dict[str, Any]:
    """Rename a table here and in storage."""
    reply = SESSION.handle("rename", args)
    if not reply["ok"]:
        raise SiftError(reply["error"]["message"], hint=reply["error"]["hint"])
    result = dict(reply["result"])
    if result["table"] != result["old"]:
        await storage.rename(result["old"], result["table"])
    return result


async def save(args: dict[str, Any]) -> dict[str, Any]:
    """Store tables just imported; problems (a full disk) leave them usable in this tab."""
    problems = [await keep(table, args["source"]) for table in args["tables"]]
    return {"problems": [problem for problem in problems if problem]}


async def set_type(args: dict[str, Any]) -> dict[str, Any]:
    """Change a column's type, then store the changed table."""
    reply = SESSION.handle("set_type", args)
    if not reply["ok"]:
        raise SiftError(reply["error"]["message"], hint=reply["error"]["hint"])
    table = reply["result"]["table"]
    sources = {entry["name"]: entry["source"] for entry in await storage.listing()}
    problem = await keep(table, sources.get(table, table))
    if problem:
        reply["result"]["message"] += " " + problem
    return dict(reply["result"])


async def release(args: dict[str, Any]) -> dict[str, Any]:
    """Free an export's `blob:` URL once the page has downloaded it."""
    js.URL.revokeObjectURL(args["url"])
    return {}


STORAGE_COMMANDS: dict[str, Callable[[dict[str, Any]], Awaitable[Any]]] = {
    "release": release,
    "workspace": workspace,
    "save": save,
    "rename": rename_table,
    "set_type": set_type,
    "drop": forget_table,
    "erase": erase_everything,
}
ENGINE = Engine()


def heap_bytes() -> int:
    """The engine's wasm memory in bytes: it only grows, so this is the peak so far."""
    return int(pyodide_js._module.HEAP8.length)


def serve_embeds() -> None:
    """Make this the engine of a page's embedded widgets (web/embed-worker.mjs): it keeps
    nothing in storage, and keeps the result of each widget's query (not just the last 3)."""
    from sift.query import results

    ENGINE.keeps = False
    ENGINE.embedded = True
    results.KEPT_RESULTS = EMBED_KEPT_RESULTS


async def handle(command: str, args_json: str) -> str:
    """The one exported entry point: JSON text in, JSON text out."""
    return json.dumps(await ENGINE.handle(command, json.loads(args_json)))


async def fetch_blob(url: str, name: str, embedded: bool = False) -> Any:
    local = url.startswith("blob:")
    try:
        response = await js.fetch(url)
    except JsException:
        if local:
            raise LoadError(
                f"Could not read {name}.",
                hint="The file may have been moved or deleted. Choose it again.",
                source=name,
            ) from None
        raise LoadError(
            f"Could not download {url}: the server is unreachable, or it does not allow other "
            "sites to read this file (CORS).",
            hint=CORS_HINT_EMBED if embedded else CORS_HINT,
            source=url,
        ) from None
    if not response.ok:
        raise LoadError(
            f"Could not download {url}: the server answered HTTP {response.status}.",
            hint="Check that the address is right and the file is public.",
            source=url,
        )
    return await response.blob()


@contextmanager
def mounted(blob: Any) -> Iterator[str]:
    """Mount one Blob read-only at MOUNT/data for the block's duration."""
    fs = pyodide_js.FS
    fs.mkdirTree(MOUNT)
    blobs = js.Array.new()
    blobs.push(js.Object.fromEntries([["name", "data"], ["data", blob]]))
    fs.mount(fs.filesystems.WORKERFS, js.Object.fromEntries([["blobs", blobs]]), MOUNT)
    try:
        yield MOUNT + "/data"
    finally:
        fs.unmount(MOUNT)
