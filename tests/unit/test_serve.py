"""serve.py: MIME types, gzip, headers, path safety and the command line, against a tmp site."""

from __future__ import annotations

import gzip
import http.client
import io
import os
import re
import subprocess
import sys
import threading
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

import pytest

import serve

SERVE_PY = Path(serve.__file__).resolve()
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass(frozen=True)
class Reply:
    status: int
    headers: Message
    body: bytes


def fetch(url: str, *, method: str = "GET", headers: dict[str, str] | None = None) -> Reply:
    """urllib, without proxies; HTTP errors come back as replies instead of exceptions."""
    request = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with NO_PROXY.open(request, timeout=10) as response:
            return Reply(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        with error:
            return Reply(error.code, error.headers, error.read())


def raw_get(base_url: str, path: str) -> Reply:
    """A GET that sends `path` byte for byte and does not follow redirects."""
    host, port = base_url.removeprefix("http://").rstrip("/").rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        connection.close()


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("sift/__init__.py", "x = 1\n" * 100)
    return buffer.getvalue()


SAMPLE_FILES: dict[str, bytes] = {
    "index.html": b"<!doctype html><title>Sift</title>\n" * 20,
    "app.mjs": b"export const answer = 42;\n" * 50,
    "core.js": b"console.log('sift');\n" * 50,
    "style.css": b"body { margin: 0 }\n" * 50,
    "pyodide.asm.wasm": b"\0asm\x01\0\0\0" + bytes(range(256)) * 40,
    "pyodide-lock.json": b'{"packages": {}}\n' * 30,
    "manifest.webmanifest": b'{"name": "Sift", "start_url": "./"}',
    "data.csv": "city,amount\nParis,3\nZürich,4\n".encode() * 40,
    "data.tsv": b"a\tb\n1\t2\n" * 40,
    "icon.svg": b'<svg xmlns="http://www.w3.org/2000/svg"></svg>',
    "icon.png": b"\x89PNG\r\n\x1a\n" + bytes(200),
    "favicon.ico": bytes(100),
    "main.py": b"print('hello')\n" * 20,
    "notes.txt": b"notes\n" * 20,
    "core.js.map": b'{"version": 3}',
    "python_stdlib.zip": zip_bytes(),
    "ui.tar": b"sift/ui/app.mpy".ljust(512, b"\0") * 8,
    "wheels/sift-0.1-py3-none-any.whl": zip_bytes(),
    "mystery.xyz": b"??" * 100,
    "sub/index.html": b"<!doctype html><p>sub page</p>",
    "evil.example/index.html": b"<p>a directory named like a host</p>",
}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    for name, content in SAMPLE_FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(content)
    (root / "empty").mkdir()
    (tmp_path / "pyproject.toml").write_text("secret = true\n")
    return root


@pytest.fixture
def base_url(site: Path) -> Iterator[str]:
    with serve.serving(site) as url:
        yield url


# --- content types and compression -------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("index.html", "text/html; charset=utf-8"),
        ("app.mjs", "text/javascript; charset=utf-8"),
        ("core.js", "text/javascript; charset=utf-8"),
        ("style.css", "text/css; charset=utf-8"),
        ("pyodide.asm.wasm", "application/wasm"),
        ("pyodide-lock.json", "application/json"),
        ("manifest.webmanifest", "application/manifest+json"),
        ("data.csv", "text/csv; charset=utf-8"),
        ("data.tsv", "text/tab-separated-values; charset=utf-8"),
        ("icon.svg", "image/svg+xml"),
        ("icon.png", "image/png"),
        ("favicon.ico", "image/x-icon"),
        ("main.py", "text/plain; charset=utf-8"),
        ("notes.txt", "text/plain; charset=utf-8"),
        ("core.js.map", "application/json"),
        ("python_stdlib.zip", "application/zip"),
        ("wheels/sift-0.1-py3-none-any.whl", "application/zip"),
        ("mystery.xyz", "application/octet-stream"),
    ],
)
def test_content_type(base_url: str, name: str, content_type: str) -> None:
    reply = fetch(base_url + name)
    assert reply.status == 200
    assert reply.headers["Content-Type"] == content_type
    assert reply.body == SAMPLE_FILES[name]


COMPRESSIBLE = [
    "index.html",
    "app.mjs",
    "pyodide.asm.wasm",
    "data.csv",
    "manifest.webmanifest",
    "ui.tar",
]


@pytest.mark.parametrize("name", COMPRESSIBLE)
def test_gzip_when_the_client_accepts_it(base_url: str, name: str) -> None:
    reply = fetch(base_url + name, headers={"Accept-Encoding": "br, gzip;q=0.8"})
    assert reply.headers["Content-Encoding"] == "gzip"
    assert reply.headers["Vary"] == "Accept-Encoding"
    assert int(reply.headers["Content-Length"]) == len(reply.body)
    assert gzip.decompress(reply.body) == SAMPLE_FILES[name]


@pytest.mark.parametrize("accept", [None, "identity", "gzip;q=0", "br", "*;q=0"])
def test_no_gzip_unless_accepted(base_url: str, accept: str | None) -> None:
    headers = {} if accept is None else {"Accept-Encoding": accept}
    reply = fetch(base_url + "app.mjs", headers=headers)
    assert reply.headers["Content-Encoding"] is None
    assert reply.headers["Vary"] == "Accept-Encoding"
    assert reply.body == SAMPLE_FILES["app.mjs"]


@pytest.mark.parametrize(
    "name", ["python_stdlib.zip", "wheels/sift-0.1-py3-none-any.whl", "icon.png", "mystery.xyz"]
)
def test_never_gzips_compressed_or_unknown_types(base_url: str, name: str) -> None:
    reply = fetch(base_url + name, headers={"Accept-Encoding": "gzip"})
    assert reply.headers["Content-Encoding"] is None
    assert reply.headers["Vary"] is None
    assert reply.body == SAMPLE_FILES[name]


@pytest.mark.parametrize("accept", ["gzip", "identity"])
def test_head_sends_the_get_headers_without_a_body(base_url: str, accept: str) -> None:
    headers = {"Accept-Encoding": accept}
    get = fetch(base_url + "pyodide.asm.wasm", headers=headers)
    head = fetch(base_url + "pyodide.asm.wasm", method="HEAD", headers=headers)
    assert head.status == 200
    assert head.body == b""
    for name in ("Content-Type", "Content-Length", "Content-Encoding", "Vary"):
        assert head.headers[name] == get.headers[name]


def test_a_rewritten_file_is_never_served_stale(site: Path, base_url: str) -> None:
    accept = {"Accept-Encoding": "gzip"}
    assert gzip.decompress(fetch(base_url + "app.mjs", headers=accept).body).startswith(b"export")
    (site / "app.mjs").write_bytes(b"export const rebuilt = true;\n")
    assert gzip.decompress(fetch(base_url + "app.mjs", headers=accept).body) == (
        b"export const rebuilt = true;\n"
    )


def test_gzip_cache_compresses_each_version_once(tmp_path: Path) -> None:
    path = tmp_path / "a.js"
    path.write_text("let a = 1;\n" * 100)
    reads: list[int] = []

    def read() -> bytes:
        reads.append(1)
        return path.read_bytes()

    cache = serve.GzipCache()
    first = cache.compressed(path, path.stat(), read)
    assert cache.compressed(path, path.stat(), read) is first
    assert len(reads) == 1
    path.write_text("let b = 2;\n")
    assert gzip.decompress(cache.compressed(path, path.stat(), read)) == b"let b = 2;\n"
    assert len(reads) == 2


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("gzip", True),
        ("deflate, gzip", True),
        ("GZIP;q=0.5", True),
        ("x-gzip", True),
        ("*", True),
        ("gzip;q=0", False),
        ("gzip;q=0.0, *", False),
        ("br, deflate", False),
        ("", False),
        (None, False),
    ],
)
def test_accepts_gzip(header: str | None, expected: bool) -> None:
    assert serve.accepts_gzip(header) is expected


# --- paths --------------------------------------------------------------------------------


def test_root_and_directories_serve_their_index(base_url: str) -> None:
    assert fetch(base_url).body == SAMPLE_FILES["index.html"]
    assert fetch(base_url + "sub/").body == SAMPLE_FILES["sub/index.html"]


def test_directory_without_slash_redirects(base_url: str) -> None:
    reply = raw_get(base_url, "/sub?x=1")
    assert reply.status == 301
    assert reply.headers["Location"] == "/sub/?x=1"
    assert fetch(base_url + "sub").body == SAMPLE_FILES["sub/index.html"]


def test_redirect_never_points_off_site(base_url: str) -> None:
    reply = raw_get(base_url, "//evil.example")
    assert reply.status == 301
    assert reply.headers["Location"] == "/evil.example/"


@pytest.mark.parametrize("path", ["/empty/", "/empty", "/missing.js", "/sub/missing/"])
def test_no_directory_listing_and_missing_files_are_404(base_url: str, path: str) -> None:
    reply = raw_get(base_url, path)
    assert reply.status == 404
    assert b"<" not in reply.body


@pytest.mark.parametrize(
    "path",
    [
        "/../pyproject.toml",
        "/%2e%2e/pyproject.toml",
        "/%2E%2E%2Fpyproject.toml",
        "/..%2fpyproject.toml",
        "/sub/../../pyproject.toml",
        "/sub/%2e%2e/%2e%2e/pyproject.toml",
        "/..%5cpyproject.toml",
        "/index.html%00.png",
        "/%ff%fe",
    ],
)
def test_paths_outside_the_directory_are_404(base_url: str, path: str) -> None:
    reply = raw_get(base_url, path)
    assert reply.status == 404
    assert b"secret" not in reply.body


def test_symlink_out_of_the_directory_is_404(site: Path, base_url: str) -> None:
    try:
        (site / "link.toml").symlink_to(site.parent / "pyproject.toml")
    except OSError:
        pytest.skip("symlinks not available")
    assert raw_get(base_url, "/link.toml").status == 404


# --- headers ------------------------------------------------------------------------------

EXPECTED_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Access-Control-Allow-Origin": "*",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cache-Control": "no-cache",
    "Content-Security-Policy": serve.content_security_policy(),
}


@pytest.mark.parametrize(("path", "status"), [("/app.mjs", 200), ("/nope", 404), ("/sub", 301)])
def test_security_headers_on_every_response(base_url: str, path: str, status: int) -> None:
    reply = raw_get(base_url, path)
    assert reply.status == status
    for name, value in EXPECTED_HEADERS.items():
        assert reply.headers[name] == value, name
    assert reply.headers["Cross-Origin-Embedder-Policy"] is None
    assert reply.headers["Cross-Origin-Resource-Policy"] is None


def test_unsupported_method_is_refused_with_headers(base_url: str) -> None:
    reply = fetch(base_url + "app.mjs", method="POST")
    assert reply.status == 501
    assert reply.headers["Access-Control-Allow-Origin"] == "*"


def test_csp_mode_none_drops_only_the_policy(site: Path) -> None:
    with serve.serving(site, csp_mode="none") as url:
        reply = fetch(url + "index.html")
    assert reply.headers["Content-Security-Policy"] is None
    assert reply.headers["X-Content-Type-Options"] == "nosniff"


def parse_policy(policy: str) -> dict[str, list[str]]:
    directives = [part.split() for part in policy.split(";") if part.strip()]
    return {words[0]: words[1:] for words in directives}


def test_policy_is_strict_where_it_matters() -> None:
    policy = parse_policy(serve.content_security_policy())
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert not any("*" in source for source in policy["script-src"])
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "https:" not in policy["script-src"]


def test_every_directive_has_a_reason() -> None:
    for name, (sources, reason) in serve.CSP_DIRECTIVES.items():
        assert sources.strip(), name
        assert len(reason) > 10, name


def test_requests_are_not_logged_by_default(
    base_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    fetch(base_url + "app.mjs")
    fetch(base_url + "missing")
    assert capsys.readouterr().err == ""


def test_client_disconnects_are_silent(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    server = serve.make_server(serve.ServeConfig(site))
    with server:
        for error in (BrokenPipeError(), ConnectionResetError()):
            try:
                raise error
            except OSError:
                server.handle_error(None, ("127.0.0.1", 1))  # type: ignore[arg-type]
        assert capsys.readouterr().err == ""
        try:
            raise ValueError("a real bug")
        except ValueError:
            server.handle_error(None, ("127.0.0.1", 1))  # type: ignore[arg-type]
        assert "a real bug" in capsys.readouterr().err


def test_ipv6_loopback(site: Path) -> None:
    try:
        server, url = serve.start_server(site, host="::1")
    except serve.ServeError:
        pytest.skip("no IPv6 loopback here")
    try:
        assert url.startswith("http://[::1]:")
        assert fetch(url + "app.mjs").status == 200
    finally:
        serve.stop(server)


# --- command line -------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.10", "example.com", ""])
def test_main_refuses_hosts_that_are_not_loopback(
    site: Path, host: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert serve.main(["--dir", str(site), "--port", "0", "--host", host]) == 2
    assert "only loopback addresses" in capsys.readouterr().err


def test_main_explains_a_missing_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert serve.main(["--dir", str(tmp_path / "dist"), "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert "dist/ not found: run `python build.py` first" in err


def test_main_stops_by_itself_after_max_seconds(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    results: list[int] = []
    argv = ["--dir", str(site), "--port", "0", "--max-seconds", "1"]
    thread = threading.Thread(target=lambda: results.append(serve.main(argv)), daemon=True)
    thread.start()
    thread.join(timeout=5)
    assert not thread.is_alive(), "main() did not stop"
    assert results == [0]
    out = capsys.readouterr().out
    assert re.fullmatch(rf"Serving {re.escape(str(site))} at http://127\.0\.0\.1:\d+/\n", out)


def test_main_keeps_the_localhost_name_in_the_url(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--dir", str(site), "--port", "0", "--host", "localhost", "--max-seconds", "0.1"]
    assert serve.main(argv) == 0
    assert re.search(r"at http://localhost:\d+/$", capsys.readouterr().out.strip())


@pytest.mark.parametrize(
    "argv", [["--port", "70000"], ["--port", "-1"], ["--max-seconds", "-2"], ["--csp-mode", "x"]]
)
def test_bad_arguments_are_usage_errors(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        serve.main(argv)
    assert exit_info.value.code == 2


def test_help_runs_as_a_program() -> None:
    result = subprocess.run(
        [sys.executable, str(SERVE_PY), "--help"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0
    assert "--max-seconds" in result.stdout


def test_program_prints_its_url_then_serves(site: Path) -> None:
    command = [sys.executable, str(SERVE_PY), "--dir", str(site), "--port", "0"]
    command += ["--max-seconds", "20"]
    # Without PYTHONUNBUFFERED the line arrives only if serve.py flushes it.
    env = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env) as process:
        try:
            assert process.stdout is not None
            line = process.stdout.readline()
            match = re.fullmatch(r"Serving .+ at (http://127\.0\.0\.1:\d+/)\n", line)
            assert match, line
            assert fetch(match[1] + "data.csv").body == SAMPLE_FILES["data.csv"]
        finally:
            process.terminate()
            process.wait(timeout=10)


def test_policy_lets_a_chart_become_a_png() -> None:
    # The chart's PNG export draws the SVG file through an Image from a blob: URL.
    policy = parse_policy(serve.content_security_policy())
    assert "blob:" in policy["img-src"]
    assert "'unsafe-inline'" not in policy["style-src"]  # the chart has no style attributes


# --- embed pages (docs/embed-contract.md, "Headers and CSP") ------------------------------

EMBED_SAMPLES: dict[str, bytes] = {
    "embed.html": b"<!doctype html><html data-sift-embed><title>widget</title>",
    "embed-engine.html": b"<!doctype html><title>engine</title>",
    "embed.js": b"customElements.define('sift-view', class extends HTMLElement {});\n",
}


@pytest.fixture
def embed_url(site: Path) -> Iterator[str]:
    for name, content in EMBED_SAMPLES.items():
        (site / name).write_bytes(content)
    with serve.serving(site) as url:
        yield url


def test_framable_policy_differs_only_in_frame_ancestors() -> None:
    app = parse_policy(serve.content_security_policy())
    embed = parse_policy(serve.content_security_policy(framable=True))
    assert embed["frame-ancestors"] == ["*"]
    assert app["frame-ancestors"] == ["'none'"]
    assert {k: v for k, v in embed.items() if k != "frame-ancestors"} == {
        k: v for k, v in app.items() if k != "frame-ancestors"
    }
    assert list(embed) == list(app)


@pytest.mark.parametrize(
    ("path", "status", "framable"),
    [
        ("/embed.html", 200, True),
        ("/embed-engine.html", 200, True),
        ("/embed.html?v=2", 200, True),
        ("/embed-engine.html?x=1#engine=p1", 200, True),
        ("/", 200, False),
        ("/index.html", 200, False),
        ("/embed.js", 200, False),
        ("/app.mjs", 200, False),
        ("/nope", 404, False),
        ("/embed.htm", 404, False),
        ("/embed.html.bak", 404, False),
        ("/xembed.html", 404, False),
        ("/sub", 301, False),
    ],
)
def test_only_the_embed_pages_may_be_framed(
    embed_url: str, path: str, status: int, framable: bool
) -> None:
    reply = raw_get(embed_url, path)
    assert reply.status == status
    policy = parse_policy(reply.headers["Content-Security-Policy"])
    assert policy["frame-ancestors"] == (["*"] if framable else ["'none'"])
    assert reply.headers["Content-Security-Policy"] == serve.content_security_policy(
        framable=framable
    )
    for name, value in EXPECTED_HEADERS.items():
        if name == "Cache-Control" and path.endswith("/embed.js"):
            continue  # see the next test
        if name != "Content-Security-Policy":
            assert reply.headers[name] == value, name


def test_embed_js_is_fresh_for_ten_minutes_and_everything_else_revalidates(
    embed_url: str,
) -> None:
    # Other sites' pages load embed.js: their visitors' HTTP cache is all it has offline.
    assert fetch(embed_url + "embed.js").headers["Cache-Control"] == "max-age=600"
    for name in ("embed.html", "embed-engine.html", "index.html"):
        assert fetch(embed_url + name).headers["Cache-Control"] == "no-cache", name


@pytest.mark.parametrize("name", ["embed.js", "embed.html", "embed-engine.html"])
def test_embed_files_are_readable_from_any_origin(embed_url: str, name: str) -> None:
    for method in ("GET", "HEAD"):
        reply = fetch(embed_url + name, method=method, headers={"Origin": "https://host.example"})
        assert reply.status == 200
        assert reply.headers["Access-Control-Allow-Origin"] == "*"
    assert fetch(embed_url + name).body == EMBED_SAMPLES[name]
    assert fetch(embed_url + "embed.js").headers["Content-Type"] == (
        "text/javascript; charset=utf-8"
    )


def test_csp_mode_none_sends_no_policy_on_embed_pages_either(site: Path) -> None:
    (site / "embed.html").write_bytes(EMBED_SAMPLES["embed.html"])
    with serve.serving(site, csp_mode="none") as url:
        reply = fetch(url + "embed.html")
    assert reply.status == 200
    assert reply.headers["Content-Security-Policy"] is None
