"""Serve the built site (`dist/`) on a loopback address, for people and for the browser tests.

Standard library only. It sends the MIME types the runtime needs (`.wasm`, `.mjs`), gzips text
and wasm, and adds the headers the design relies on: a Content-Security-Policy (as a header, so
`frame-ancestors` works; RELIABILITY G1, J4), CORS for embed assets (J2), `no-cache` so a test
never sees a stale file. It never serves outside its directory, lists no directories and binds
only to loopback addresses.

    python serve.py                      # dist/ at http://127.0.0.1:8000/
    python serve.py --port 0 --max-seconds 60

Tests run it in-process with `start_server()` / `stop()` (or the `serving()` context manager),
or start it as a program with `--port 0` and read the URL from the one line it prints.
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import ipaddress
import math
import os
import shutil
import socket
import socketserver
import sys
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal, cast

DEFAULT_DIR: Final = Path(__file__).resolve().parent / "dist"
DEFAULT_PORT: Final = 8000
DEFAULT_HOST: Final = "127.0.0.1"

CspMode = Literal["header", "none"]

# Each directive with the reason it is there; README documents the policy from this table.
CSP_DIRECTIVES: Final[dict[str, tuple[str, str]]] = {
    "default-src": ("'self'", "anything not listed below comes from Sift's own origin only"),
    "script-src": (
        "'self' 'wasm-unsafe-eval' 'unsafe-eval'",
        "Pyodide compiles wasm; PyScript 0.7 evaluates code with eval/Function",
    ),
    "worker-src": ("'self' blob:", "engine worker; PyScript and the embed start it from blob:"),
    "connect-src": (
        "'self' blob: data: https: http://127.0.0.1:* http://localhost:*",
        "own files; blob:/data: for opened files; https:/local hosts: a data URL the user typed",
    ),
    "style-src": ("'self'", "own stylesheet only; no inline styles (PyScript sets none we use)"),
    "img-src": ("'self' data: blob:", "icons, and charts or images exported as data:/blob: URLs"),
    "font-src": ("'self'", "no third-party fonts"),
    "object-src": ("'none'", "no plugins: <object>/<embed> are script sinks"),
    "base-uri": ("'none'", "an injected <base> cannot redirect relative URLs"),
    "form-action": ("'none'", "Sift submits no forms; an injected form cannot post data away"),
    "frame-ancestors": ("'none'", "no clickjacking of the full app (a header; <meta> ignores it)"),
    "manifest-src": ("'self'", "the web app manifest is ours"),
}

MIME_TYPES: Final[dict[str, str]] = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".wasm": "application/wasm",
    ".webmanifest": "application/manifest+json",
    ".zip": "application/zip",
    ".whl": "application/zip",
    ".tar": "application/x-tar",
    ".gz": "application/gzip",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".py": "text/plain; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".tsv": "text/tab-separated-values; charset=utf-8",
    ".ndjson": "application/x-ndjson",
    ".xml": "application/xml",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".sqlite": "application/vnd.sqlite3",
    ".db": "application/vnd.sqlite3",
}
UNKNOWN_TYPE: Final = "application/octet-stream"

# Types that shrink under gzip. Archives and images are already compressed, except a tar
# (Sift's UI ships as an uncompressed one, app/ui.tar: 4x smaller gzipped).
COMPRESSIBLE_TYPES: Final = frozenset(
    {
        "application/json",
        "application/wasm",
        "application/x-tar",
        "application/manifest+json",
        "application/x-ndjson",
        "application/xml",
        "image/svg+xml",
    }
)

# Larger files are sent as they are rather than compressed in memory.
GZIP_MAX_BYTES: Final = 64 * 1024 * 1024

# How soon shutdown() takes effect: serve_forever() checks for it this often.
POLL_SECONDS: Final = 0.05

# Errors that only mean the browser went away (closed tab, cancelled fetch); never worth a log.
DISCONNECT_ERRORS: Final = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError)


class ServeError(Exception):
    """A problem the user can fix (missing dist/, bad host, port taken); the message says how."""


# The pages embed.js puts in frames on other sites' pages (RELIABILITY J4: "the embed route is
# framable but read-only"): any page may frame them; the full app stays unframable.
EMBED_PAGES: Final = frozenset({"embed.html", "embed-engine.html"})
EMBED_FRAME_ANCESTORS: Final = "*"
# embed.js is loaded by other sites' pages, whose visitors' HTTP cache is all it has offline
# (Sift's service worker only serves Sift's own frames): a short freshness, not `no-cache`.
EMBED_SCRIPT: Final = "embed.js"
EMBED_SCRIPT_CACHE: Final = "max-age=600"


def content_security_policy(*, framable: bool = False) -> str:
    """The policy sent with every response, as one header value; `framable` for EMBED_PAGES."""
    directives = {name: sources for name, (sources, _) in CSP_DIRECTIVES.items()}
    if framable:
        directives["frame-ancestors"] = EMBED_FRAME_ANCESTORS
    return "; ".join(f"{name} {sources}" for name, sources in directives.items())


def content_type_for(path: Path) -> str:
    return MIME_TYPES.get(path.suffix.lower(), UNKNOWN_TYPE)


def is_compressible(content_type: str) -> bool:
    media_type = content_type.split(";", 1)[0].strip()
    return media_type.startswith("text/") or media_type in COMPRESSIBLE_TYPES


def accepts_gzip(accept_encoding: str | None) -> bool:
    """Whether an Accept-Encoding header allows gzip (RFC 9110 §12.5.3, q=0 means "not this")."""
    weights: dict[str, float] = {}
    for item in (accept_encoding or "").split(","):
        coding, _, params = item.partition(";")
        weights[coding.strip().lower()] = _quality(params)
    for coding in ("gzip", "x-gzip", "*"):
        if coding in weights:
            return weights[coding] > 0
    return False


def _quality(params: str) -> float:
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                return float(value)
            except ValueError:
                return 0.0
    return 1.0


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def url_segments(request_path: str) -> list[str] | None:
    """The decoded path segments of a request target, or None if it tries to leave the root."""
    path = request_path.split("?", 1)[0].split("#", 1)[0]
    try:
        decoded = urllib.parse.unquote(path, errors="strict")
    except UnicodeDecodeError:
        return None
    segments = [s for s in decoded.split("/") if s not in ("", ".")]
    if any(s == ".." or "\\" in s or "\0" in s for s in segments):
        return None
    return segments


def locate(root: Path, segments: list[str]) -> Path | None:
    """The existing file or directory the segments name, if it lies inside `root` (resolved)."""
    try:
        resolved = root.joinpath(*segments).resolve(strict=True)
    except (OSError, RuntimeError, ValueError):
        return None
    return resolved if resolved.is_relative_to(root) else None


class GzipCache:
    """Compressed bodies keyed by (path, mtime, size), so a rebuilt file is compressed afresh."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[Path, tuple[tuple[int, int], bytes]] = {}

    def compressed(self, path: Path, stat: os.stat_result, read: Callable[[], bytes]) -> bytes:
        stamp = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            entry = self._entries.get(path)
        if entry is not None and entry[0] == stamp:
            return entry[1]
        body = gzip.compress(read(), compresslevel=6, mtime=0)
        with self._lock:
            self._entries[path] = (stamp, body)
        return body


# Shared by every server in the process: entries are keyed by the file's stamp, so sharing is
# safe, and browser tests that start a server per test compress the 10 MB pyodide wasm only once.
SHARED_GZIP_CACHE: Final = GzipCache()


@dataclass(frozen=True)
class ServeConfig:
    directory: Path
    csp_mode: CspMode = "header"
    verbose: bool = False

    def common_headers(
        self, *, framable: bool = False, cache: str = "no-cache"
    ) -> list[tuple[str, str]]:
        """Headers on every response, errors and redirects included."""
        headers = [
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "no-referrer"),
            # Embed assets must load from other origins (RELIABILITY J2); no credentials involved.
            ("Access-Control-Allow-Origin", "*"),
            ("Cross-Origin-Opener-Policy", "same-origin"),
            # The service worker does the real caching; a test must never see a stale file.
            ("Cache-Control", cache),
        ]
        if self.csp_mode == "header":
            headers.append(("Content-Security-Policy", content_security_policy(framable=framable)))
        return headers


class SiftServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], config: ServeConfig) -> None:
        self.config = config
        self.common_headers = config.common_headers()
        self.embed_headers = config.common_headers(framable=True)
        self.script_headers = config.common_headers(cache=EMBED_SCRIPT_CACHE)
        self.gzip_cache = SHARED_GZIP_CACHE
        super().__init__(address, SiftRequestHandler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind calls socket.getfqdn(), a reverse DNS lookup that can stall.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), self.server_address[1]

    def handle_error(
        self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any
    ) -> None:
        if not isinstance(sys.exc_info()[1], DISCONNECT_ERRORS):
            super().handle_error(request, client_address)


class SiftServer6(SiftServer):
    address_family = socket.AF_INET6


class SiftRequestHandler(http.server.BaseHTTPRequestHandler):
    server_version = "SiftServe"
    protocol_version = "HTTP/1.1"
    timeout = 30  # seconds an idle keep-alive connection holds its thread
    error_content_type = "text/plain; charset=utf-8"
    error_message_format = "%(code)d %(message)s\n"

    @property
    def sift(self) -> SiftServer:
        return cast(SiftServer, self.server)

    def version_string(self) -> str:
        return self.server_version  # without the Python version the stdlib would add

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def end_headers(self) -> None:
        page = self.path.split("?", 1)[0].split("#", 1)[0].rsplit("/", 1)[-1]
        headers = self.sift.common_headers
        if page in EMBED_PAGES:
            headers = self.sift.embed_headers
        elif page == EMBED_SCRIPT:
            headers = self.sift.script_headers
        for name, value in headers:
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        if self.sift.config.verbose:
            super().log_message(format, *args)

    def _respond(self, *, send_body: bool) -> None:
        segments = url_segments(self.path)
        target = None if segments is None else locate(self.sift.config.directory, segments)
        if target is not None and target.is_dir():
            target = target / "index.html"
            if segments and target.is_file() and not self.path.split("?", 1)[0].endswith("/"):
                # Relative URLs in the page resolve against the directory only with the slash.
                self._redirect_to_directory(segments)
                return
        if target is None or not target.is_file():
            self.send_error(404, "Not found")
            return
        self._send_file(target, send_body=send_body)

    def _redirect_to_directory(self, segments: list[str]) -> None:
        # Built from the decoded segments, so "//host" cannot become an off-site redirect.
        location = "/" + "".join(urllib.parse.quote(s) + "/" for s in segments)
        query = self.path.partition("?")[2]
        self.send_response(301)
        self.send_header("Location", location + (f"?{query}" if query else ""))
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send_file(self, path: Path, *, send_body: bool) -> None:
        content_type = content_type_for(path)
        with path.open("rb") as file:
            stat = os.fstat(file.fileno())
            if self._should_gzip(content_type, stat.st_size):
                body = self.sift.gzip_cache.compressed(path, stat, file.read)
                self._send_file_headers(content_type, len(body), gzipped=True)
                if send_body:
                    self.wfile.write(body)
            else:
                self._send_file_headers(content_type, stat.st_size, gzipped=False)
                if send_body:
                    shutil.copyfileobj(file, self.wfile)

    def _should_gzip(self, content_type: str, size: int) -> bool:
        return (
            is_compressible(content_type)
            and size <= GZIP_MAX_BYTES
            and accepts_gzip(self.headers.get("Accept-Encoding"))
        )

    def _send_file_headers(self, content_type: str, length: int, *, gzipped: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(length))
        if is_compressible(content_type):
            self.send_header("Vary", "Accept-Encoding")
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
        self.end_headers()


def check_directory(directory: Path) -> Path:
    resolved = directory.resolve()
    if not resolved.is_dir():
        raise ServeError(
            f"{directory.name}/ not found: run `python build.py` first (looked for {resolved})"
        )
    return resolved


def make_server(config: ServeConfig, host: str = DEFAULT_HOST, port: int = 0) -> SiftServer:
    """Bind (but do not start) a server; raises ServeError for a bad directory, host or port."""
    if not is_loopback(host):
        raise ServeError(f"refusing to serve on {host!r}: only loopback addresses are allowed")
    config = ServeConfig(check_directory(config.directory), config.csp_mode, config.verbose)
    bind_host = "127.0.0.1" if host.lower() == "localhost" else host
    server_class = SiftServer6 if ":" in bind_host else SiftServer
    try:
        return server_class((bind_host, port), config)
    except OSError as exc:
        raise ServeError(f"cannot listen on {host}:{port}: {exc}; try --port 0") from exc


def base_url(server: SiftServer, host: str | None = None) -> str:
    """`host` keeps the name the user gave ("localhost" is another origin than 127.0.0.1)."""
    name = host or str(server.server_address[0])
    if ":" in name:
        name = f"[{name}]"
    return f"http://{name}:{server.server_address[1]}/"


def start_server(
    directory: str | os.PathLike[str],
    port: int = 0,
    host: str = DEFAULT_HOST,
    *,
    csp_mode: CspMode = "header",
    verbose: bool = False,
) -> tuple[SiftServer, str]:
    """Serve `directory` from a daemon thread; returns the server and its base URL."""
    server = make_server(ServeConfig(Path(directory), csp_mode, verbose), host, port)
    thread = threading.Thread(
        target=server.serve_forever, args=(POLL_SECONDS,), name="sift-serve", daemon=True
    )
    thread.start()
    return server, base_url(server, host)


def stop(server: SiftServer) -> None:
    """Stop a server from `start_server` and close its socket."""
    server.shutdown()
    server.server_close()


@contextmanager
def serving(directory: str | os.PathLike[str], *, csp_mode: CspMode = "header") -> Iterator[str]:
    """`with serving(path) as url:` serves on a free loopback port for the block's duration."""
    server, url = start_server(directory, csp_mode=csp_mode)
    try:
        yield url
    finally:
        stop(server)


def run_until_stopped(server: SiftServer, max_seconds: float) -> None:
    """Serve until Ctrl-C, or until `max_seconds` have passed if it is above zero."""
    timer = threading.Timer(max_seconds, server.shutdown) if max_seconds > 0 else None
    if timer is not None:
        timer.daemon = True
        timer.start()
    try:
        server.serve_forever(POLL_SECONDS)
    except KeyboardInterrupt:
        pass
    finally:
        if timer is not None:
            timer.cancel()


def _port(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0 to 65535)")
    return int(text)


def _seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not (math.isfinite(seconds) and seconds >= 0):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds >= 0")
    return seconds


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="serve.py",
        description="Serve Sift's built site on a loopback address with the headers it needs.",
    )
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="default: dist/ here")
    parser.add_argument("--port", type=_port, default=DEFAULT_PORT, help="0 picks a free port")
    parser.add_argument("--host", default=DEFAULT_HOST, help="a loopback address only")
    parser.add_argument(
        "--max-seconds", type=_seconds, default=0.0, help="stop after N seconds (0: never)"
    )
    parser.add_argument(
        "--csp-mode",
        choices=("header", "none"),
        default="header",
        help="send the Content-Security-Policy header, or none (for tests)",
    )
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    config = ServeConfig(args.dir, cast(CspMode, args.csp_mode), args.verbose)
    try:
        server = make_server(config, args.host, args.port)
    except ServeError as exc:
        print(f"serve.py: error: {exc}", file=sys.stderr)
        return 2
    with server:
        print(f"Serving {server.config.directory} at {base_url(server, args.host)}", flush=True)
        run_until_stopped(server, args.max_seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
