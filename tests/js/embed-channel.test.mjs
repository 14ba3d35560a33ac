// node --test: the embed's engine channel (web/embed-channel.mjs), over Node's own
// BroadcastChannel, which behaves as the browser's does between frames of one origin.
import assert from "node:assert/strict";
import test from "node:test";

import { channelName, connect, serve } from "../../web/embed-channel.mjs";

const ok = (result) => JSON.stringify({ ok: true, result });

function fakeEngine(answer) {
  const calls = [];
  return {
    calls,
    async handle(command, args) {
      calls.push([command, JSON.parse(args)]);
      return answer(command, JSON.parse(args));
    },
  };
}

function pair(name, engine) {
  const server = new BroadcastChannel(name);
  serve(server, engine);
  const clients = [new BroadcastChannel(name), new BroadcastChannel(name)];
  const close = () => [server, ...clients].forEach((channel) => channel.close());
  return { widgets: clients.map(connect), close };
}

test("the channel name comes from the fragment's engine id, which must look like one", () => {
  assert.equal(channelName("#src=a.csv&engine=abcdef12"), "sift-engine-abcdef12");
  assert.equal(channelName("engine=abcdef12"), "sift-engine-abcdef12");
  assert.equal(channelName("#src=a.csv"), null);
  assert.equal(channelName("#engine=short"), null);
  assert.equal(channelName("#engine=abc%20def12"), null);
});

test("each widget gets the reply to its own call", async () => {
  const engine = fakeEngine((command, args) => ok({ command, n: args.n }));
  const { widgets, close } = pair("t1", engine);
  const replies = await Promise.all([
    widgets[0].handle("view", JSON.stringify({ n: 1 })),
    widgets[1].handle("view", JSON.stringify({ n: 2 })),
    widgets[0].handle("rows", JSON.stringify({ n: 3 })),
  ]);
  assert.deepEqual(replies.map((text) => JSON.parse(text).result), [
    { command: "view", n: 1 },
    { command: "view", n: 2 },
    { command: "rows", n: 3 },
  ]);
  close();
});

test("calls made before the engine is up wait for it", async () => {
  let start;
  const engine = new Promise((resolve) => (start = resolve));
  const { widgets, close } = pair("t2", engine);
  const reply = widgets[0].handle("tables", "{}");
  setTimeout(() => start(fakeEngine(() => ok("up"))), 20);
  assert.equal(JSON.parse(await reply).result, "up");
  close();
});

test("the same data file is imported once for several widgets; a failed import is tried again", async () => {
  let fail = true;
  const engine = fakeEngine((command) => (command === "load_url" && fail ? JSON.stringify({ ok: false }) : ok("t")));
  const { widgets, close } = pair("t3", engine);
  const args = JSON.stringify({ url: "https://host.example/a.csv", name: "a.csv" });
  assert.equal(JSON.parse(await widgets[0].handle("load_url", args)).ok, false);
  fail = false;
  await Promise.all([widgets[0].handle("load_url", args), widgets[1].handle("load_url", args)]);
  await widgets[1].handle("load_url", args);
  assert.equal(engine.calls.filter(([command]) => command === "load_url").length, 2);
  close();
});

test("an engine that throws gives an error reply, not silence", async () => {
  const engine = { handle: async () => { throw new Error("worker gone"); } };
  const { widgets, close } = pair("t4", engine);
  const reply = JSON.parse(await widgets[0].handle("tables", "{}"));
  assert.equal(reply.ok, false);
  assert.match(reply.error.message, /worker gone/);
  close();
});

test("messages that are not calls are ignored", async () => {
  const engine = fakeEngine(() => ok("x"));
  const { widgets, close } = pair("t5", engine);
  const stray = new BroadcastChannel("t5");
  for (const junk of [null, "call", 42, { type: "call" }, { type: "call", id: 1, command: "x", args: "{}" }])
    stray.postMessage(junk);
  await widgets[0].handle("tables", "{}");
  assert.deepEqual(engine.calls.map(([command]) => command), ["tables"]);
  stray.close();
  close();
});
