"""The engine worker's edge (Pyodide): turns the UI's JSON calls into Session commands.

Files arrive as URLs (a `blob:` URL for a local File, or http(s)). The response body is kept
as a browser Blob and mounted with Emscripten's WORKERFS, so Python streams it in chunks and
the whole file is never copied into the wasm heap.
"""

import json
from typing import Any

import js  # type: ignore[import-not-found]
import pyodide_js  # type: ignore[import-not-found]
from pyodide.ffi import JsException  # type: ignore[import-not-found]

from sift.errors import LoadError, SiftError
from sift.session import Session, error_reply

SESSION = Session()
MOUNT = "/mnt/incoming"


async def handle(command: str, args_json: str) -> str:
    """The one exported entry point: JSON text in, JSON text out."""
    args = json.loads(args_json)
    if command == "load_url":
        reply = await load_url(args["url"], args["name"])
    else:
        reply = SESSION.handle(command, args)
    return json.dumps(reply)


async def load_url(url: str, name: str) -> dict[str, Any]:
    try:
        blob = await fetch_blob(url, name)
        with mounted(blob) as path, open(path, "rb") as stream:
            return SESSION.handle_load(name, stream)
    except SiftError as error:
        return error_reply(error)


async def fetch_blob(url: str, name: str) -> Any:
    local = url.startswith("blob:")
    try:
        response = await js.fetch(url)
    except JsException:
        if local:
            raise LoadError(
                message=f"Could not read {name}.",
                hint="The file may have been moved or deleted. Choose it again.",
                source=name,
            ) from None
        raise LoadError(
            message=f"Could not download {url}.",
            hint="The server may be unreachable, or it does not allow other sites to read this "
            "file (CORS). Check the address, or download the file and open it with Open file.",
            source=url,
        ) from None
    if not response.ok:
        raise LoadError(
            message=f"Could not download {url}: the server answered HTTP {response.status}.",
            hint="Check that the address is right and the file is public.",
            source=url,
        )
    return await response.blob()


class mounted:
    """Mount one Blob read-only at MOUNT/data; unmount on exit."""

    def __init__(self, blob: Any) -> None:
        self.blob = blob

    def __enter__(self) -> str:
        fs = pyodide_js.FS
        fs.mkdirTree(MOUNT)
        blobs = js.Array.new()
        blobs.push(js.Object.fromEntries([["name", "data"], ["data", self.blob]]))
        fs.mount(fs.filesystems.WORKERFS, js.Object.fromEntries([["blobs", blobs]]), MOUNT)
        return MOUNT + "/data"

    def __exit__(self, *exc: object) -> None:
        pyodide_js.FS.unmount(MOUNT)
