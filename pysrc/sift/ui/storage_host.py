"""Browser storage for the workspace (Pyodide worker): each table in its own OPFS file, plus
an index the UI can read before the engine is ready.

Files are written with createWritable(), which replaces a file atomically when closed, and
the index is edited under a Web Lock, so two tabs never corrupt or block each other.
"""

import json
import os
from collections.abc import Callable
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
    """Replace a file atomically with `data` (bytes, or a JS Uint8Array)."""
    handle = await directory.getFileHandle(name, options(create=True))
    writable = await handle.createWritable()
    try:
        await writable.write(to_js(data) if isinstance(data, bytes) else data)
    except JsException:
        await writable.abort()
        raise
    await writable.close()


async def remove_file(directory: Any, name: str) -> None:
    with suppress(JsException):  # already gone
        await directory.removeEntry(name)


async def read_index(directory: Any) -> tuple[stored.Index, str]:
    file = await read_file(directory, INDEX_FILE)
    return stored.parse_index(None if file is None else str(await file.text()))


async def edit_index(edit: Callable[[stored.Index], stored.Index]) -> stored.Index:
    """Read, change and write the index while holding the lock every tab uses."""
    result: list[stored.Index] = []

    async def locked(_lock: Any) -> None:
        directory = await folder()
        index, _problem = await read_index(directory)
        changed = edit(index)
        await write_file(directory, INDEX_FILE, stored.dump_index(changed).encode())
        result.append(changed)

    await js.navigator.locks.request(LOCK, create_once_callable(locked))
    return result[0]


async def save(session: Session, table: str, source: str) -> None:
    """Store one table (after an import or a change) and list it in the index."""
    conn = session.workspace.conn
    save_table(conn, table, SCRATCH)
    try:
        # MEMFS keeps file contents in JS memory: hand them to OPFS without a copy in the heap.
        data = pyodide_js.FS.readFile(SCRATCH)
    finally:
        os.remove(SCRATCH)
    await write_file(await folder(), stored.file_name(table), data)
    workspace = session.workspace  # this table's figures only: counting every table is slow
    saved = datetime.now(UTC).isoformat(timespec="seconds")
    rows, columns = workspace.count(table), workspace.columns(table)
    entry = stored.record(rows, columns, int(data.length), source, saved)
    await edit_index(lambda index: stored.with_table(index, table, entry))


async def restore_missing(session: Session) -> tuple[list[str], stored.Index]:
    """Load stored tables this engine does not have yet (a reload, or another tab's import).
    Returns sentences about tables that could not be restored, and the index it read."""
    directory = await folder()
    index, problem = await read_index(directory)
    problems = [problem] if problem else []
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
    return problems, index


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
