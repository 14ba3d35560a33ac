// Sift's service worker: precaches one build's files (listed with content hashes by build.py),
// serves them cache-first, deletes older builds' caches on activate, and waits for the page's
// "skip-waiting" message so an open tab never mixes two versions.
import { cacheName, cachedPath, staleCaches } from "./sw-lib.mjs";

// build.py replaces the next line with this build's manifest.
const MANIFEST = { version: "unbuilt", files: [] };

const CACHE = cacheName(MANIFEST.version);
const PATHS = new Set(MANIFEST.files.map((file) => file.path));

self.addEventListener("install", (event) => {
  // addAll is all-or-nothing: a failed download leaves no half-filled cache in use.
  const requests = MANIFEST.files.map((file) => new Request(file.path, { cache: "reload" }));
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(requests)));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(staleCaches(keys, MANIFEST.version).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "skip-waiting") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const path = cachedPath(event.request, self.registration.scope, PATHS);
  if (path === null) return;
  event.respondWith(
    caches.open(CACHE).then(async (cache) => (await cache.match(path)) || fetch(event.request)),
  );
});
