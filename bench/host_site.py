"""The host site of an embed (bench/embed.py, and the embed browser tests): a static server on
127.0.0.1 reached as `localhost`, so Sift (on 127.0.0.1) is cross-site to its pages. Every file
gets Access-Control-Allow-Origin except those under NO_CORS (a test's "no CORS" case); nothing
is cached. Standard library only."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

NO_CORS = "nocors/"  # files under this folder are served without Access-Control-Allow-Origin


class Handler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        if not self.path.lstrip("/").startswith(NO_CORS):
            self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        return


@contextmanager
def serving(folder: Path) -> Iterator[str]:
    """Serve `folder` until the block ends; yields its URL, ending in "/"."""
    handler = functools.partial(Handler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="embed-host", daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
