"""Load a page in Chromium and read when it reached each milestone (bench/startup.py).

Times are taken inside the page by bench/milestones.js, in ms since navigation start, so the
benchmark's own overhead (Playwright, polling) is not measured. Every load runs in a Playwright
persistent context, which is a real profile directory:
- cold: a new, empty profile per load: no HTTP cache, no service worker, no V8/wasm code cache;
- warm: one profile per page, primed by unmeasured loads, then a new tab per measured load.
A load that fails or exceeds its time limit comes back as a result with an error, never raises.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Final

from playwright.sync_api import BrowserContext, Page, Playwright
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from bench.pages import BENCH_DIR, BenchError, PageSpec
from bench.settle import wait_until_idle

CHROMIUM_ARGS: Final = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
MILESTONES_SCRIPT: Final = BENCH_DIR / "milestones.js"
PRIMING_LOADS: Final = 2  # the same for every page, so warm means the same thing for each
POLL_MS: Final = 50
TIMED_OUT: Final = "timed out"

# True once every milestone is "ready" or any is "failed" (arg: the milestone attributes).
LOAD_DONE_JS: Final = """(attributes) => {
  const times = window.__benchTimes || {};
  const has = (value) => (attribute) => attribute + "=" + value in times;
  return attributes.every(has("ready")) || attributes.some(has("failed"));
}"""
# What a failed page says about why: Sift's alert, or the reference page's error attribute.
FAILURE_DETAIL_JS: Final = """() => {
  const alert = document.querySelector("[role=alert]:not([hidden])");
  return (alert && alert.textContent.trim()) || document.documentElement.dataset.refError || "";
}"""
SERVICE_WORKER_READY_JS: Final = "async () => { await navigator.serviceWorker.ready; }"
SERVICE_WORKER_CONTROLS_JS: Final = "() => navigator.serviceWorker.controller !== null"


@dataclass(frozen=True)
class Load:
    """One page load: ms since navigation start per milestone label (None: not reached)."""

    times: dict[str, float | None]
    error: str | None = None


@dataclass
class Chromium:
    playwright: Playwright
    executable: Path | None
    timeout_s: float
    _version: str = field(default="", init=False)

    def launch(self, profile: Path) -> BrowserContext:
        try:
            context = self.playwright.chromium.launch_persistent_context(
                profile,
                executable_path=self.executable,
                args=list(CHROMIUM_ARGS),
                headless=True,
            )
        except PlaywrightError as exc:
            hint = "pass --chromium PATH"
            raise BenchError(f"cannot start Chromium ({exc.message}); {hint}") from exc
        context.add_init_script(path=MILESTONES_SCRIPT)
        wait_until_idle()  # the browser's own start-up work is not the page's
        if not self._version and context.browser is not None:
            self._version = context.browser.version
        return context

    @property
    def version(self) -> str:
        return self._version or "unknown"

    def cold_load(self, spec: PageSpec, url: str) -> Load:
        with self.fresh_context() as context:
            return measure(context, spec, url, self.timeout_s)

    @contextmanager
    def fresh_context(self) -> Iterator[BrowserContext]:
        """A context in a new, empty profile (as a cold load has), closed and removed on exit."""
        with _profile_dir("cold") as profile:
            context = self.launch(Path(profile))
            try:
                yield context
            finally:
                context.close()

    def warm_profile(self, spec: PageSpec, url: str) -> WarmProfile:
        return WarmProfile(self, spec, url)


class WarmProfile:
    """One profile kept open for a page: primed on entry, then one new tab per `load()`.

    If priming fails, every `load()` reports that instead of measuring a profile that is not warm.
    """

    def __init__(self, chromium: Chromium, spec: PageSpec, url: str) -> None:
        self.chromium, self.spec, self.url = chromium, spec, url
        self._dir = _profile_dir("warm")
        self._context: BrowserContext | None = None
        self.priming_error: str | None = None

    def __enter__(self) -> WarmProfile:
        context = self._context = self.chromium.launch(Path(self._dir.name))
        for _ in range(PRIMING_LOADS):
            primed = measure(context, self.spec, self.url, self.chromium.timeout_s, prime=True)
            if primed.error is not None:
                self.priming_error = f"not measured: priming the profile failed ({primed.error})"
                break
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._context is not None:
            self._context.close()
            self._context = None
        self._dir.cleanup()

    def load(self) -> Load:
        if self._context is None:
            raise RuntimeError("WarmProfile.load() outside its `with` block")
        if self.priming_error is not None:
            return Load({m.label: None for m in self.spec.milestones}, self.priming_error)
        return measure(self._context, self.spec, self.url, self.chromium.timeout_s)


def measure(
    context: BrowserContext, spec: PageSpec, url: str, timeout_s: float, *, prime: bool = False
) -> Load:
    """Open `url` in a new tab of `context` and wait for the page's last milestone.

    With `prime`, also wait until a service worker controls the page (if the page has one), so
    the next load is served by it, as a returning visitor's would be.
    """
    page = context.new_page()
    deadline = time.monotonic() + timeout_s
    page_errors: list[str] = []
    page.on("pageerror", lambda exc: page_errors.append(str(exc)))
    try:
        error = _wait_for_milestones(page, spec, url, deadline)
        if error is None and prime and spec.service_worker:
            error = _wait_for_service_worker(page, deadline)
        times = _milestone_times(page, spec, limit_ms=timeout_s * 1000)
        if error == TIMED_OUT:
            reached = ", ".join(label for label, ms in times.items() if ms is not None)
            error = f"timed out after {timeout_s:g} s (reached: {reached or 'nothing'})"
        elif error is None and None in times.values():
            error = _failure_detail(page, page_errors)
        return Load(times, error)
    finally:
        page.close()


def _wait_for_milestones(page: Page, spec: PageSpec, url: str, deadline: float) -> str | None:
    attributes = [m.attribute for m in spec.milestones]
    try:
        page.goto(url, wait_until="commit", timeout=remaining_ms(deadline))
        page.wait_for_function(
            LOAD_DONE_JS, arg=attributes, polling=POLL_MS, timeout=remaining_ms(deadline)
        )
    except PlaywrightTimeoutError:
        return TIMED_OUT
    except PlaywrightError as exc:
        return f"browser error: {exc.message}"
    return None


def _wait_for_service_worker(page: Page, deadline: float) -> str | None:
    try:
        page.evaluate(SERVICE_WORKER_READY_JS)
        page.wait_for_function(
            SERVICE_WORKER_CONTROLS_JS, polling=POLL_MS, timeout=remaining_ms(deadline)
        )
    except PlaywrightError as exc:
        return f"the service worker never took control: {exc.message}"
    return None


def _milestone_times(page: Page, spec: PageSpec, limit_ms: float) -> dict[str, float | None]:
    """The recorded times; one past the limit counts as not reached.

    After a timeout, reading the times can wait for a busy main thread, by which time the page
    may have got further: those late milestones must not count.
    """
    try:
        recorded = page.evaluate("() => window.__benchTimes || {}")
    except PlaywrightError:
        recorded = {}
    times = {m.label: _as_ms(recorded.get(f"{m.attribute}=ready")) for m in spec.milestones}
    return {label: None if ms is None or ms > limit_ms else ms for label, ms in times.items()}


def _as_ms(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _failure_detail(page: Page, page_errors: list[str]) -> str:
    try:
        detail = str(page.evaluate(FAILURE_DETAIL_JS))
    except PlaywrightError as exc:
        detail = exc.message
    detail = detail or "; ".join(page_errors) or "no detail"
    return f"failed: {' '.join(detail.split())[:300]}"


def _profile_dir(temperature: str) -> tempfile.TemporaryDirectory[str]:
    # Chromium may still hold files for a moment after closing; leftovers are only temp files.
    return tempfile.TemporaryDirectory(
        prefix=f"sift-bench-{temperature}-", ignore_cleanup_errors=True
    )


def remaining_ms(deadline: float) -> float:
    """Milliseconds left until a time.monotonic() deadline, as a Playwright timeout."""
    # Playwright treats 0 as "no limit": keep at least 1 ms so an expired deadline times out.
    return max(1.0, (deadline - time.monotonic()) * 1000)
