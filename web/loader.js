// The small loader: what the page needs before Python runs, or if Python never does.
// - registers the service worker and offers "Update available — reload";
// - keeps files dropped before the interface is up (they go into the file input);
// - turns a start-up failure into data-sift-state="failed" and a visible message.
// Everything else (the UI itself) is Python: see pysrc/sift/ui/.
const root = document.documentElement;
const STARTUP_LIMIT_MS = 120_000;
const UPDATE_CHECK_MS = 10 * 60_000;

function fail(detail) {
  if (root.dataset.siftState !== "loading") return;
  root.dataset.siftState = "failed";
  const alert = document.getElementById("alert");
  alert.textContent = "Sift could not start: " + detail;
  const hint = document.createElement("span");
  hint.className = "hint";
  hint.textContent =
    "Check your connection and reload the page. If it keeps failing, clear this site's data " +
    "in your browser settings and reload.";
  alert.append(hint);
  alert.hidden = false;
  document.getElementById("status").textContent = "Start-up failed.";
  for (const stage of document.querySelectorAll("#boot-stages [data-active]")) {
    stage.removeAttribute("data-active");
    stage.dataset.failed = "";
  }
}

// PyScript reports a failed interpreter or script as a `.py-error` element.
new MutationObserver((records) => {
  for (const record of records)
    for (const node of record.addedNodes)
      if (node.classList && node.classList.contains("py-error")) fail(node.textContent.trim());
}).observe(document.documentElement, { childList: true, subtree: true });
// A widget whose host page's engine frame failed, or cannot be found (embed-client.js).
document.addEventListener("sift-start-failed", (event) => fail(String(event.detail)));
addEventListener("unhandledrejection", (event) => {
  if (root.dataset.siftState === "loading") fail(String(event.reason && (event.reason.message || event.reason)));
});
setTimeout(() => fail("it took longer than two minutes to start."), STARTUP_LIMIT_MS);

// Before the Python UI listens, a drop would make the browser leave the page: keep the files.
function earlyDrop(event) {
  if (root.dataset.siftUi === "ready") return;
  event.preventDefault();
  if (event.type === "drop" && event.dataTransfer.files.length)
    document.getElementById("open-file").files = event.dataTransfer.files;
}
addEventListener("dragover", earlyDrop);
addEventListener("drop", earlyDrop);

async function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  const registration = await navigator.serviceWorker.register("./sw.js", { type: "module" });
  let reloading = false;
  const offer = (worker) => {
    document.getElementById("update-banner").hidden = false;
    document.getElementById("update-reload").onclick = () => {
      reloading = true;
      worker.postMessage({ type: "skip-waiting" });
    };
  };
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (reloading) location.reload();
  });
  if (registration.waiting && navigator.serviceWorker.controller) offer(registration.waiting);
  registration.addEventListener("updatefound", () => {
    const worker = registration.installing;
    worker.addEventListener("statechange", () => {
      if (worker.state === "installed" && navigator.serviceWorker.controller) offer(worker);
    });
  });
  // An open tab looks for a new build when it is shown again, and every few minutes.
  const check = () => registration.update().catch(() => {});
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") check();
  });
  setInterval(check, UPDATE_CHECK_MS);
}
// Register only once start-up is over: on a first visit the precache download would otherwise
// compete with the engine's own start for network and CPU.
function afterStartup(callback) {
  if (root.dataset.siftState !== "loading") return callback();
  const observer = new MutationObserver(() => {
    if (root.dataset.siftState === "loading") return;
    observer.disconnect();
    callback();
  });
  observer.observe(root, { attributes: true, attributeFilter: ["data-sift-state"] });
}
afterStartup(() =>
  registerServiceWorker().catch((error) => console.warn("Offline support is unavailable:", error.message)),
);
