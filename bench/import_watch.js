// Installed by bench/import_browser.py (Playwright's addInitScript) on Sift's page, so it runs
// before the app. It records, in ms since navigation start (performance.now()):
// - `chosen`: when a file input fired "change" (the user picked a file: the import's start);
// - `statuses`: each new text of the role=status line ("Opening …", "Loaded …");
// - `memory`: each write of #storage-line's data-engine-memory (the engine's wasm memory size).
// A MutationObserver callback runs at the next microtask checkpoint, i.e. once the app's code
// that changed the page yields: the moment the user could see the change.
(() => {
  const watch = (window.__benchImport = { chosen: null, statuses: [], memory: [] });
  document.addEventListener(
    "change",
    (event) => {
      if (watch.chosen === null && event.target.type === "file") watch.chosen = performance.now();
    },
    true,
  );
  let lastStatus = null;
  new MutationObserver((records) => {
    const t = performance.now();
    const status = document.querySelector("[role=status]");
    const text = status ? status.textContent.trim() : null;
    if (text !== null && text !== lastStatus) {
      lastStatus = text;
      watch.statuses.push({ t, text });
    }
    for (const record of records) {
      if (record.type === "attributes" && record.attributeName === "data-engine-memory") {
        watch.memory.push({ t, bytes: Number(record.target.getAttribute("data-engine-memory")) });
      }
    }
  }).observe(document, {
    subtree: true,
    childList: true,
    characterData: true,
    attributeFilter: ["data-engine-memory"],
  });
})();
