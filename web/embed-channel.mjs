// One engine for every Sift widget on a host page (embed.js): the widgets' frames and the
// engine's frame are all on Sift's origin, so they talk over a BroadcastChannel named after the
// host page's id. No postMessage to or from the host page is involved, so it cannot inject calls.
// Messages: {type: "call", id, command, args} (args as JSON text) and {type: "reply", id, reply}.

const PREFIX = "sift-engine-";
const ID = /^[A-Za-z0-9_-]{8,64}$/;

/** The channel of the engine named in a widget's or engine frame's fragment, or null. */
export function channelName(hash) {
  const id = new URLSearchParams(String(hash).replace(/^#/, "")).get("engine");
  return id !== null && ID.test(id) ? PREFIX + id : null;
}

/**
 * Answer widgets' calls with `engine` (a promise of an object with handle(command, argsJson)
 * returning reply JSON text). Calls that come before the engine is up wait for it. The same
 * `load_url` from several widgets (the same data file) is imported once, unless it failed.
 */
export function serve(channel, engine) {
  const loads = new Map();
  const call = async (command, args) => (await engine).handle(command, args);
  channel.onmessage = async ({ data }) => {
    if (!isCall(data)) return;
    let reply;
    try {
      if (data.command === "load_url") {
        if (!loads.has(data.args)) loads.set(data.args, call(data.command, data.args));
        reply = await loads.get(data.args);
        if (!JSON.parse(reply).ok) loads.delete(data.args);
      } else {
        reply = await call(data.command, data.args);
      }
    } catch (error) {
      const message = "The Python engine failed: " + String((error && error.message) || error);
      reply = JSON.stringify({ ok: false, error: { kind: "internal", message, hint: "Reload the page." } });
    }
    channel.postMessage({ type: "reply", id: data.id, reply });
  };
}

/** A widget's side: an object with handle(command, argsJson) -> Promise of reply JSON text. */
export function connect(channel) {
  const waiting = new Map();
  const prefix = Math.random().toString(36).slice(2) + ":";
  let next = 0;
  channel.onmessage = ({ data }) => {
    if (!data || data.type !== "reply" || !waiting.has(data.id)) return;
    waiting.get(data.id)(data.reply);
    waiting.delete(data.id);
  };
  return {
    handle(command, args) {
      const id = prefix + next++;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        channel.postMessage({ type: "call", id, command, args });
      });
    },
  };
}

function isCall(data) {
  return (
    data !== null &&
    typeof data === "object" &&
    data.type === "call" &&
    typeof data.id === "string" &&
    typeof data.command === "string" &&
    typeof data.args === "string"
  );
}
