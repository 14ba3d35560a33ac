// What the frames of one host page's Sift widgets share (embed.js makes them, all on Sift's
// origin): the engine frame runs the Pyodide engine and the one MicroPython that drives every
// widget (sift/ui/widgets.py). A widget frame finds it by its name, from the page id in the
// widget's fragment; the host page, on another origin, can reach neither.

const PREFIX = "sift-engine-";
const WIDGET = "sift-widget-";
const ID = /^[A-Za-z0-9_-]{8,64}$/;

/**
 * The engine frame's name for a widget frame: from the page id in its fragment (as embed.js
 * wrote it), else in its own name (`widgetName`: kept when the frame reloads, after the app
 * has rewritten the fragment). Null when neither holds a valid id.
 */
export function engineFrameName(hash, frameName = "") {
  const id = new URLSearchParams(String(hash).replace(/^#/, "")).get("engine");
  if (id !== null && ID.test(id)) return PREFIX + id;
  const named = String(frameName).startsWith(WIDGET) ? String(frameName).slice(WIDGET.length) : "";
  return ID.test(named) ? PREFIX + named : null;
}

/** The name a widget frame takes for the engine frame named `engineName`. */
export function widgetName(engineName) {
  return WIDGET + engineName.slice(PREFIX.length);
}

/**
 * The engine as every widget calls it: `engine.handle(command, argsJson)` returning reply JSON
 * text. The same `load_url` from several widgets (the same data file) is imported once, unless
 * it failed; an engine that throws gives an error reply, never a rejection.
 */
export function share(engine) {
  const loads = new Map();
  const call = async (command, args) => {
    if (command !== "load_url") return engine.handle(command, args);
    if (!loads.has(args)) loads.set(args, engine.handle(command, args));
    const reply = await loads.get(args);
    if (!JSON.parse(reply).ok) loads.delete(args);
    return reply;
  };
  return {
    async handle(command, args) {
      try {
        return await call(command, args);
      } catch (error) {
        if (command === "load_url") loads.delete(args);
        const message = "The Python engine failed: " + String((error && error.message) || error);
        return JSON.stringify({ ok: false, error: { kind: "internal", message, hint: "Reload the page." } });
      }
    },
  };
}
