// The engine frame of a host page's Sift widgets (embed-engine.html, hidden; embed.js makes
// it): the Pyodide worker (embed-worker.mjs) every widget calls, and the one MicroPython that
// runs every widget's UI (PyScript, sift/ui/widgets.py). A widget frame finds this frame by its
// name and awaits `siftWidgetHost`: the function that gives the widget its UI.
import { share } from "./embed-shared.mjs";

const worker = new Worker(new URL("./embed-worker.mjs", import.meta.url), { type: "module" });
const waiting = new Map();
let next = 0;
worker.addEventListener("message", ({ data }) => {
  const { resolve, reject } = waiting.get(data.id);
  waiting.delete(data.id);
  if ("error" in data) reject(new Error(data.error));
  else resolve(data.reply);
});
window.siftSharedEngine = share({
  handle: (command, args) =>
    new Promise((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve, reject });
      worker.postMessage({ id, command, args });
    }),
});

// The host page's embed.js loads the widget frames on this message: serving, or failed (each
// widget then says why). It carries nothing else, and goes to the host's origin only, which
// embed.js put in this frame's fragment (for "null", a file: page, posting throws: the host's
// widgets then load on embed.js's timer).
const hostOrigin = new URLSearchParams(location.hash.slice(1)).get("host");
let told = false; // once: a failure after serving has nothing new to tell the host
const tellHost = () => {
  if (told) return;
  told = true;
  try {
    parent.postMessage({ siftEngine: "serving" }, hostOrigin);
  } catch {
    // no origin to name: see above
  }
};
let serve, reject;
window.siftWidgetHost = new Promise((resolve, rejectHost) => ((serve = resolve), (reject = rejectHost)));
window.siftWidgetHost.catch(() => {}); // each widget reports a failure itself
window.siftServeWidgets = (attach) => {
  serve(attach); // called by sift/ui/widgets.py
  tellHost();
};
const fail = (error) => {
  reject(error);
  tellHost();
};

// PyScript reports a failed interpreter or script as a `.py-error` element, a file it could not
// fetch (the UI's archive) as a rejected promise.
addEventListener("unhandledrejection", (event) => fail(new Error(String(event.reason && (event.reason.message || event.reason)))));
new MutationObserver((records) => {
  for (const record of records)
    for (const node of record.addedNodes)
      if (node.classList && node.classList.contains("py-error")) fail(new Error(node.textContent.trim()));
}).observe(document.documentElement, { childList: true, subtree: true });

// A browser that blocks third-party data fails every IndexedDB open in this frame. PyScript
// opens one at start that the widgets never use, and its error handler throws: keep that quiet
// (the request then never settles, and nothing waits on it).
const open = IDBFactory.prototype.open;
IDBFactory.prototype.open = function (...args) {
  const request = open.apply(this, args);
  request.addEventListener("error", (event) => {
    event.stopImmediatePropagation();
    event.preventDefault();
  });
  return request;
};
