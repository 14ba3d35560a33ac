"""Browser storage for the workspace (Pyodide worker): each table in its own OPFS file, plus
an index the UI can read before the engine is ready.

Files are written with createWritable(), which replaces a file atomically when closed, and
the index is edited under a Web Lock, so two tabs never corrupt or block each other.
"""

import json
import os
from collections.abc import Awaitable, Callable
from contextlib import suppress
from datetime import UTC, datetime
from typing import Any

import js  # type: ignore[import-not-found]
import pyodide_js  # type: ignore[import-not-found]
from pyodide.ffi import JsException, create_once_callable, to_js  # type: ignore[import-not-found]

from sift import stored
from sift.session import Session
from sift.snapshot import restore_table, save_table
from sift.ui.storage_names import FOLDER, INDEX_FILE

LOCK = "sift-workspace-index"
SCRATCH = "/tmp/sift-snapshot.sqlite"
NOTES_FILE = "notes.json"  # query history, saved queries, Python functions


class StorageError(Exception):
    """The browser refused a save; `name` is its DOMException's (QuotaExceededError...)."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def options(**values: Any) -> Any:
    return to_js(values, dict_converter=js.Object.fromEntries)


async def folder() -> Any:
    root = await js.navigator.storage.getDirectory()
    return await root.getDirectoryHandle(FOLDER, options(create=True))


async def read_file(directory: Any, name: str) -> Any:
    """The File, or None if there is none by that name."""
    try:
        handle = await directory.getFileHandle(name)
    except JsException:  # NotFoundError
        return None
    return await handle.getFile()


async def write_file(directory: Any, name: str, data: Any) -> None:
    """Replace a file atomically with `data` (bytes, or a JS Uint8Array); StorageError when
    the browser refuses (a full disk)."""
    handle = await directory.getFileHandle(name, options(create=True))
    writable = None
    try:
        writable = await handle.createWritable()
        await writable.write(to_js(data) if isinstance(data, bytes) else data)
        await writable.close()
    except JsException as error:  # QuotaExceededError, or OPFS's AbortError variant
        if writable is not None:
            with suppress(JsException):  # the stream may be errored already
                await writable.abort()
        raise StorageError(str(error.name)) from None


async def remove_file(directory: Any, name: str) -> None:
    with suppress(JsException):  # already gone
        await directory.removeEntry(name)


async def read_index(directory: Any) -> tuple[stored.Index, str]:
    file = await read_file(directory, INDEX_FILE)
    return stored.parse_index(None if file is None else str(await file.text()))


async def edit_index(edit: Callable[[stored.Index], stored.Index]) -> stored.Index:
    """Read, change and write the index while holding the lock every tab uses."""

    async def edit_async(index: stored.Index) -> stored.Index:
        return edit(index)

    return await edit_index_async(edit_async)


async def edit_index_async(edit: Callable[[stored.Index], Awaitable[stored.Index]]) -> stored.Index:
    """edit_index, for an edit that itself awaits storage (it runs under the lock)."""

    async def edit_and_write() -> stored.Index:
        directory = await folder()
        index, _problem = await read_index(directory)
        changed = await edit(index)
        await write_file(directory, INDEX_FILE, stored.dump_index(changed).encode())
        return changed

    result: stored.Index = await under_lock(LOCK, edit_and_write)
    return result


async def under_lock(name: str, action: Callable[[], Awaitable[Any]]) -> Any:
    """Run `action` holding the Web Lock `name` (held by every tab of the origin alike); its
    exception is raised as it was, not as the PythonError the lock's promise would carry."""
    outcome: list[tuple[bool, Any]] = []

    async def locked(_lock: Any) -> None:
        try:
            outcome.append((True, await action()))
        except Exception as error:
            outcome.append((False, error))

    await js.navigator.locks.request(name, create_once_callable(locked))
    done, value = outcome[0]
    if not done:
        raise value
    return value


def now_text() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def table_record(session: Session, table: str, size: int, source: str, saved: str) -> Any:
    """The index record of a table this engine holds (its figures only: counting every table
    is slow)."""
    workspace = session.workspace
    return stored.record(workspace.count(table), workspace.columns(table), size, source, saved)


async def save(session: Session, table: str, source: str) -> None:
    """Store one table (after an import or a change) and list it in the index.

    The index lists the table under "saving" first, and the save holds the table's saving lock
    throughout: if the page closes mid-save, the next start sees the entry with no lock held
    (settle_saves)."""

    async def saving() -> None:
        try:
            await edit_index(lambda index: stored.with_saving(index, table, source))
            await write_table(session, table, source)
        except Exception:
            index = await edit_index(lambda index: stored.without_saving(index, table))
            if table not in index["tables"]:  # a new table: no half-written file is left
                await remove_file(await folder(), stored.file_name(table))
            raise

    await under_lock(stored.saving_lock(table), saving)


async def write_table(session: Session, table: str, source: str) -> None:
    save_table(session.workspace.conn, table, SCRATCH)
    try:
        # MEMFS keeps file contents in JS memory: hand them to OPFS without a copy in the heap.
        data = pyodide_js.FS.readFile(SCRATCH)
    finally:
        os.remove(SCRATCH)
    await write_file(await folder(), stored.file_name(table), data)
    entry = table_record(session, table, int(data.length), source, now_text())
    await edit_index(lambda index: stored.with_table(index, table, entry))


async def held_locks() -> list[str]:
    snapshot = await js.navigator.locks.query()
    return [str(lock.name) for lock in snapshot.held]


async def file_names(directory: Any) -> list[str]:
    names = directory.keys()  # a JS async iterator
    return [str(name) async for name in names]


async def settle_saves(directory: Any) -> tuple[list[str], list[str], stored.Index]:
    """Tidy after saves cut short by a closed page or an ended worker.

    A table file that was written is whole (createWritable replaces atomically), so its table
    is kept, listed with placeholder figures for the caller to set once restored; a table with
    no file is dropped from the index and the user told. Files the index does not know are
    removed. Done under the index lock, so no tab's save can be under way unseen; the lock is
    taken only when there is something to tidy. Returns (sentences for the user, tables kept,
    the index as it now is).
    """
    index, problem = await read_index(directory)
    problems = [problem] if problem else []
    if not (
        stored.interrupted(index, await held_locks())
        or stored.orphans(index, await file_names(directory))
    ):
        return problems, [], index
    kept: list[str] = []

    async def tidy(index: stored.Index) -> stored.Index:
        for name in stored.interrupted(index, await held_locks()):
            source = str(index["saving"][name].get("source") or "")
            file = await read_file(directory, stored.file_name(name))
            if file is not None and int(file.size) > 0:
                placeholder = stored.record(0, [], int(file.size), source, now_text())
                index = stored.with_table(index, name, placeholder)
                kept.append(name)
            else:
                await remove_file(directory, stored.file_name(name))
                index = stored.without_table(index, name)
                problems.append(stored.lost_sentence(name, source))
        for orphan in stored.orphans(index, await file_names(directory)):
            await remove_file(directory, orphan)
        return index

    return problems, kept, await edit_index_async(tidy)


async def restore_missing(session: Session) -> tuple[list[str], stored.Index]:
    """Load stored tables this engine does not have yet (a reload, or another tab's import).
    Returns sentences about tables that could not be restored, and the index it read."""
    directory = await folder()
    problems, kept, index = await settle_saves(directory)
    loaded = set(session.workspace.table_names())
    for name in sorted(set(index["tables"]) - loaded):
        file = await read_file(directory, stored.file_name(name))
        if file is None:
            problems.append(f"{name} is no longer stored by the browser: open its file again.")
            await forget(name)
            continue
        buffer = await file.arrayBuffer()
        pyodide_js.FS.writeFile(SCRATCH, js.Uint8Array.new(buffer))  # stays in JS memory
        try:
            restore_table(session.workspace.conn, SCRATCH, name)
        finally:
            os.remove(SCRATCH)
    if kept:  # their records were placeholders: the restored tables' figures
        records = {
            name: table_record(session, name, entry["bytes"], entry["source"], entry["saved"])
            for name, entry in index["tables"].items()
            if name in kept
        }
        index = await edit_index(lambda index: with_records(index, records))
    return problems, index


def with_records(index: stored.Index, records: dict[str, Any]) -> stored.Index:
    for name, entry in records.items():
        index = stored.with_table(index, name, entry)
    return index


async def forget(table: str) -> None:
    directory = await folder()
    await remove_file(directory, stored.file_name(table))
    await edit_index(lambda index: stored.without_table(index, table))


async def rename(old: str, new: str) -> None:
    directory = await folder()
    file = await read_file(directory, stored.file_name(old))
    if file is not None:
        data = js.Uint8Array.new(await file.arrayBuffer())
        await write_file(directory, stored.file_name(new), data)
        await remove_file(directory, stored.file_name(old))
    await edit_index(lambda index: stored.renamed(index, old, new))


async def erase_all() -> None:
    root = await js.navigator.storage.getDirectory()
    with suppress(JsException):  # nothing stored yet
        await root.removeEntry(FOLDER, options(recursive=True))


async def save_notes(notes: dict[str, Any]) -> None:
    """Replace the stored notes (written whole and atomically: they are small)."""
    await write_file(await folder(), NOTES_FILE, json.dumps(notes).encode())


async def load_notes() -> dict[str, Any]:
    """The stored notes; {} when there are none or the file is unreadable (a fresh start)."""
    file = await read_file(await folder(), NOTES_FILE)
    if file is None:
        return {}
    try:
        notes = json.loads(str(await file.text()))
    except ValueError:
        return {}
    return notes if isinstance(notes, dict) else {}


async def usage() -> dict[str, int]:
    estimate = await js.navigator.storage.estimate()
    return {"usage": int(estimate.usage or 0), "quota": int(estimate.quota or 0)}


async def listing() -> list[dict[str, Any]]:
    index, _problem = await read_index(await folder())
    return stored.listing(index)
