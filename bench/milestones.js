// Installed by bench/browser.py with Playwright's addInitScript, so it runs in every page before
// the page's own scripts. It records, in ms since navigation start (performance.now()), the first
// time each data-* attribute of <html> takes each value, e.g. times["data-sift-ui=ready"].
// A MutationObserver callback runs at the next microtask checkpoint, i.e. once the script that
// flipped the attribute yields: the moment the main thread is actually free again.
(() => {
  const times = (window.__benchTimes = {});
  new MutationObserver((records) => {
    const root = document.documentElement;
    for (const record of records) {
      if (record.target !== root || !record.attributeName.startsWith("data-")) continue;
      const key = record.attributeName + "=" + root.getAttribute(record.attributeName);
      if (!(key in times)) times[key] = performance.now();
    }
  }).observe(document, { attributes: true, subtree: true });
})();
