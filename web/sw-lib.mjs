// Pure helpers of the service worker (sw.js), kept apart so node --test can check them.

export const CACHE_PREFIX = "sift-precache-";

/** The cache that holds one build's files. */
export function cacheName(version) {
  return CACHE_PREFIX + version;
}

/** Caches of older builds, to delete once this build is active. Foreign caches are left alone. */
export function staleCaches(keys, version) {
  return keys.filter((key) => key.startsWith(CACHE_PREFIX) && key !== cacheName(version));
}

/**
 * The manifest path a request should be answered from, or null to let the network answer.
 * Navigations inside the scope get the app shell; only GETs of precached files are served.
 */
export function cachedPath(request, scope, paths) {
  if (request.method !== "GET") return null;
  const url = new URL(request.url);
  const base = new URL(scope);
  if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) return null;
  const path = url.pathname.slice(base.pathname.length);
  if (request.mode === "navigate" && (path === "" || path === "index.html")) return "index.html";
  return paths.has(path) ? path : null;
}
