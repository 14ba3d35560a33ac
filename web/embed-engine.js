// The engine frame's relay (embed-engine.html): widgets' calls, from the BroadcastChannel,
// go to the engine worker (embed-worker.mjs) and its replies go back.
import { channelName, serve } from "./embed-channel.mjs";

const name = channelName(location.hash);
if (name !== null) {
  const worker = new Worker(new URL("./embed-worker.mjs", import.meta.url), { type: "module" });
  const waiting = new Map();
  let next = 0;
  worker.addEventListener("message", ({ data }) => {
    const { resolve, reject } = waiting.get(data.id);
    waiting.delete(data.id);
    if ("error" in data) reject(new Error(data.error));
    else resolve(data.reply);
  });
  const engine = {
    handle: (command, args) =>
      new Promise((resolve, reject) => {
        const id = next++;
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, command, args });
      }),
  };
  serve(new BroadcastChannel(name), Promise.resolve(engine));
}
