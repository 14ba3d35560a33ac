// node --test: the service worker's pure helpers (web/sw-lib.mjs).
import assert from "node:assert/strict";
import test from "node:test";

import { CACHE_PREFIX, cacheName, cachedPath, staleCaches } from "../../web/sw-lib.mjs";

const SCOPE = "https://sift.example/app/";
const PATHS = new Set(["index.html", "app.css", "runtime/pyodide/pyodide.asm.wasm"]);
const get = (url, mode = "cors") => ({ method: "GET", url, mode });

test("cache names carry the build version", () => {
  assert.equal(cacheName("abc"), CACHE_PREFIX + "abc");
});

test("stale caches are older Sift builds only", () => {
  const keys = [cacheName("old1"), cacheName("new"), "someone-elses-cache", cacheName("old2")];
  assert.deepEqual(staleCaches(keys, "new"), [cacheName("old1"), cacheName("old2")]);
});

test("precached files are served from the cache", () => {
  assert.equal(cachedPath(get(SCOPE + "app.css"), SCOPE, PATHS), "app.css");
  assert.equal(
    cachedPath(get(SCOPE + "runtime/pyodide/pyodide.asm.wasm?x=1"), SCOPE, PATHS),
    "runtime/pyodide/pyodide.asm.wasm",
  );
});

test("navigations to the scope get the app shell, whatever the fragment", () => {
  assert.equal(cachedPath(get(SCOPE, "navigate"), SCOPE, PATHS), "index.html");
  assert.equal(cachedPath(get(SCOPE + "index.html#src=a.csv", "navigate"), SCOPE, PATHS), "index.html");
});

test("everything else goes to the network", () => {
  assert.equal(cachedPath(get(SCOPE + "testdata/a.csv"), SCOPE, PATHS), null);
  assert.equal(cachedPath(get("https://other.example/app/app.css"), SCOPE, PATHS), null);
  assert.equal(cachedPath(get("https://sift.example/elsewhere/app.css"), SCOPE, PATHS), null);
  assert.equal(cachedPath({ method: "POST", url: SCOPE + "app.css", mode: "cors" }, SCOPE, PATHS), null);
  assert.equal(cachedPath(get(SCOPE + "unknown.html", "navigate"), SCOPE, PATHS), null);
});
