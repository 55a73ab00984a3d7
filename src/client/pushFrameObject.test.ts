// pushFrame's object form next to dstack-py's positional one: the same frame either way, and the rule that tells
// them apart refuses what could be a mistake.
import { describe, expect, it } from "vitest";
import { AbortError, InvalidRequestError } from "../model/errors";
import type { Params } from "../model/params";
import { createMemoryStore } from "../storage/memoryStore";
import { type PushFrameInput, pushFrame } from "./frame";
import { pull } from "./pull";

const figure = { data: [{ type: "scatter", x: [1, 2], y: [3, 4] }], layout: {} };

describe("pushFrame({ stack, data, ... })", () => {
  it("stores what the positional form stores: description, attachment and frame params, message, access", async () => {
    const store = createMemoryStore();
    const named = await pushFrame({
      stack: "named",
      data: figure,
      description: "a plot",
      params: { Coefficient: 1 },
      frameParams: { run: "nightly" },
      message: "first",
      access: "private",
      store,
    });
    const positional = await pushFrame(
      "positional",
      figure,
      "a plot",
      { Coefficient: 1 },
      {
        params: { run: "nightly" },
        message: "first",
        access: "private",
        store,
      },
    );
    const [a, b] = await Promise.all([store.getStack("named"), store.getStack("positional")]);
    const shape = (s: typeof a) => ({
      private: s.private,
      message: s.head?.message,
      params: s.head?.params,
      attachments: s.head?.attachments,
    });
    expect(shape(a)).toEqual(shape(b));
    expect(shape(a)).toMatchObject({
      private: true,
      message: "first",
      params: { run: "nightly" },
      attachments: [{ description: "a plot", params: { Coefficient: 1 }, application: "plotly" }],
    });
    expect(named.stack).toBe("dstack/named");
    expect(positional.stack).toBe("dstack/positional");
    expect(await pull("named", { Coefficient: 1 }, { store })).toEqual(figure);
  });

  it("takes signal and onProgress", async () => {
    const store = createMemoryStore();
    const progress: number[] = [];
    await pushFrame({ stack: "progress", data: "# hi", store, onProgress: (done) => progress.push(done) });
    expect(progress).toEqual([1]);
    await expect(pushFrame({ stack: "never", data: "x", store, signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
      AbortError,
    );
  });

  it("never mistakes a positional call whose object is a plain object (a plotly figure) for the object form", async () => {
    const store = createMemoryStore();
    await pushFrame("fig", figure, undefined, undefined, { store });
    expect(await pull("fig", undefined, { store })).toEqual(figure);
  });

  it.each<[string, unknown[], RegExp]>([
    ["a second argument", [{ stack: "abc", data: 1 }, "desc"], /takes one argument/],
    ["no data key", [{ stack: "abc", obj: 1 }], /`data` key/],
    ["a stack that is not a string", [{ stack: 5, data: 1 }], /string `stack`/],
    ["an unknown key (a typo)", [{ stack: "abc", data: 1, mesage: "m" }], /does not take "mesage"/],
  ])("refuses %s with InvalidRequestError, storing nothing", async (_, args, message) => {
    const store = createMemoryStore();
    const call = pushFrame as (...a: unknown[]) => Promise<unknown>;
    const withStore = args.map((a, i) => (i === 0 ? { ...(a as object), store } : a));
    const error = await call(...withStore).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as Error).message).toMatch(message);
    expect(await store.listStacks()).toEqual([]);
  });

  it("types the object form: stack and data required, params typed", () => {
    const input: PushFrameInput = { stack: "typed", data: [{ a: 1 }], params: { a: 1 } satisfies Params };
    expect(input.stack).toBe("typed");
    // @ts-expect-error data is required
    const missing: PushFrameInput = { stack: "typed" };
    expect(missing.stack).toBe("typed");
  });
});
