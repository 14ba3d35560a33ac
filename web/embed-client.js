// A widget frame's start (embed.html). Its UI runs in the one MicroPython of its host page's
// engine frame (sift/ui/widgets.py): the frame is found by the name embed.js gave it (from the
// page id in this frame's fragment), and is handed this window. embed.html opened by itself
// (no page id) starts PyScript and an engine of its own, as the app does.
import { engineFrameName, widgetName } from "./embed-shared.mjs";

const UI_SCRIPT = { type: "mpy", src: "./app/start_ui.py", config: "./app/mpy-config.json" };
const PYSCRIPT = "./runtime/pyscript/core.js";
const name = engineFrameName(location.hash, window.name);

function startAlone() {
  const ui = document.createElement("script");
  for (const [attribute, value] of Object.entries(UI_SCRIPT)) ui.setAttribute(attribute, value);
  document.body.append(ui);
  const core = document.createElement("script");
  core.type = "module";
  core.src = PYSCRIPT;
  document.head.append(core);
}

// loader.js turns this into the widget's "Sift could not start" message.
const fail = (detail) => document.dispatchEvent(new CustomEvent("sift-start-failed", { detail }));

async function attach() {
  window.name = widgetName(name); // a reload of this frame finds the engine frame again
  let host = null;
  try {
    // A frame of that name on another origin (or none: then null) is not the engine frame.
    host = window.open("", name);
    if (host === null || host === window || host.location.origin !== location.origin) host = null;
  } catch {
    host = null;
  }
  if (host === null || !("siftWidgetHost" in host)) {
    fail("this widget's engine frame cannot be found on the page.");
    return;
  }
  try {
    (await host.siftWidgetHost)(window);
  } catch (error) {
    fail(String((error && error.message) || error));
  }
}

if (name === null) startAlone();
else attach();
