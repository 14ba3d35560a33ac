// node --test: what the embed's frames share (web/embed-shared.mjs).
import assert from "node:assert/strict";
import test from "node:test";

import { engineFrameName, share, widgetName } from "../../web/embed-shared.mjs";

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

test("the engine frame's name comes from the fragment's engine id, which must look like one", () => {
  assert.equal(engineFrameName("#src=a.csv&engine=abcdef12"), "sift-engine-abcdef12");
  assert.equal(engineFrameName("engine=abcdef12"), "sift-engine-abcdef12");
  assert.equal(engineFrameName("#src=a.csv"), null);
  assert.equal(engineFrameName("#engine=short"), null);
  assert.equal(engineFrameName("#engine=abc%20def12"), null);
});

test("a reloaded widget frame, its fragment rewritten, finds the engine frame by its own name", () => {
  assert.equal(widgetName("sift-engine-abcdef12"), "sift-widget-abcdef12");
  assert.equal(engineFrameName("#src=a.csv", "sift-widget-abcdef12"), "sift-engine-abcdef12");
  assert.equal(engineFrameName("#engine=12345678", "sift-widget-abcdef12"), "sift-engine-12345678");
  assert.equal(engineFrameName("#src=a.csv", "sift-widget-short"), null);
  assert.equal(engineFrameName("#src=a.csv", "other-abcdef12"), null);
  assert.equal(engineFrameName("#src=a.csv", ""), null);
});

test("each call gets its own reply", async () => {
  const engine = share(fakeEngine((command, args) => ok({ command, n: args.n })));
  const replies = await Promise.all([
    engine.handle("view", JSON.stringify({ n: 1 })),
    engine.handle("view", JSON.stringify({ n: 2 })),
    engine.handle("rows", JSON.stringify({ n: 3 })),
  ]);
  assert.deepEqual(replies.map((text) => JSON.parse(text).result), [
    { command: "view", n: 1 },
    { command: "view", n: 2 },
    { command: "rows", n: 3 },
  ]);
});

test("the same data file is imported once for several widgets; a failed import is tried again", async () => {
  let fail = true;
  const inner = fakeEngine((command) => (command === "load_url" && fail ? JSON.stringify({ ok: false }) : ok("t")));
  const engine = share(inner);
  const args = JSON.stringify({ url: "https://host.example/a.csv", name: "a.csv" });
  assert.equal(JSON.parse(await engine.handle("load_url", args)).ok, false);
  fail = false;
  await Promise.all([engine.handle("load_url", args), engine.handle("load_url", args)]);
  await engine.handle("load_url", args);
  assert.equal(inner.calls.filter(([command]) => command === "load_url").length, 2);
});

test("an engine that throws gives an error reply, not a rejection, and its import is tried again", async () => {
  let calls = 0;
  const engine = share({
    handle: async () => {
      calls += 1;
      throw new Error("worker gone");
    },
  });
  const args = JSON.stringify({ url: "https://host.example/a.csv" });
  for (const command of ["tables", "load_url", "load_url"]) {
    const reply = JSON.parse(await engine.handle(command, command === "tables" ? "{}" : args));
    assert.equal(reply.ok, false);
    assert.match(reply.error.message, /worker gone/);
  }
  assert.equal(calls, 3);
});
