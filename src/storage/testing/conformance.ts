// Behaviour every StackStore must have. Each store's test file calls describeStoreConformance with a factory
// that returns a fresh, empty store; the same tests then run against memory, IndexedDB, HTTP and file stores.
import { describe, expect, it } from "vitest";
import {
  AbortError,
  AttachmentNotFoundError,
  CardNotFoundError,
  DashboardNotFoundError,
  FrameNotFoundError,
  InvalidRequestError,
  InvalidStackNameError,
  StackNotFoundError,
} from "../../model/errors";
import type { StackStore } from "../../model/stackStore";
import type { AttachmentPush, StackPatch, StoreEvent } from "../../model/types";
import { frame, readText, text } from "./storeFixtures";

export interface ConformanceOptions {
  /** A second, independent connection to the same data (another tab, another client), when the store has one. */
  openPeer?: (store: StackStore) => Promise<StackStore>;
}

/**
 * Subscribes to `store`. `until(check)` resolves once the events seen so far pass `check`. It has no deadline of
 * its own: stores deliver at their own pace, and the test's time limit catches one that never does.
 */
function record(store: StackStore) {
  const events: StoreEvent[] = [];
  const waiters: Array<() => void> = [];
  const off = store.subscribe((event) => {
    events.push(event);
    for (const wake of waiters.splice(0)) wake();
  });
  const until = (check: (seen: StoreEvent[]) => boolean) =>
    new Promise<void>((resolve) => {
      const test = () => (check(events) ? resolve() : waiters.push(test));
      test();
    });
  return { events, off, until };
}

export function describeStoreConformance(
  name: string,
  createStore: () => Promise<StackStore>,
  options: ConformanceOptions = {},
): void {
  const withStore = (fn: (store: StackStore) => Promise<void>) => async () => {
    const store = await createStore();
    try {
      await fn(store);
    } finally {
      store.close?.();
    }
  };

  describe(`StackStore conformance: ${name}`, () => {
    it(
      "pushes a frame and reads it back: stack, head, frame, attachment bytes",
      withStore(async (store) => {
        const result = await store.push(
          frame(
            "reports/sales",
            [text("a", { x: 1 }), { ...text("bb", { x: 2 }), description: "two", settings: { k: [1] } }],
            {
              message: "first",
              params: { run: "nightly" },
            },
          ),
        );
        expect(result.stack).toBe(`${store.user}/reports/sales`);
        expect(result.frameId).toMatch(/^[0-9a-f-]{36}$/);
        expect(typeof result.url).toBe("string");

        const stack = await store.getStack("reports/sales");
        expect(stack).toMatchObject({
          user: store.user,
          name: "reports/sales",
          path: `${store.user}/reports/sales`,
          private: false,
        });
        expect(stack.head?.id).toBe(result.frameId);
        expect(stack.head?.message).toBe("first");
        expect(stack.head?.params).toEqual({ run: "nightly" });
        expect(stack.head?.attachments).toEqual([
          { index: 0, contentType: "text/plain", params: { x: 1 }, length: 1 },
          {
            index: 1,
            contentType: "text/plain",
            params: { x: 2 },
            length: 2,
            description: "two",
            settings: { k: [1] },
          },
        ]);
        expect(stack.frames.map((f) => f.id)).toEqual([result.frameId]);

        const byAbsolute = await store.getFrame(`/${store.user}/reports/sales`, result.frameId);
        expect(byAbsolute).toEqual(stack.head);
        const blob = await store.getAttachment("reports/sales", result.frameId, 1);
        expect(blob.size).toBe(2);
        expect(await readText(blob)).toBe("bb");
      }),
    );

    it(
      "keeps every frame, newest first, and moves the head to each new push",
      withStore(async (store) => {
        const first = await store.push(frame("hist", [text("1")], { id: "f-1", timestamp: 1000 }));
        const second = await store.push(frame("hist", [text("2")], { id: "f-2", timestamp: 2000, message: "m2" }));
        expect(first.frameId).toBe("f-1");
        const stack = await store.getStack("hist");
        expect(stack.head?.id).toBe(second.frameId);
        expect(stack.frames).toEqual([
          { id: "f-2", timestamp: 2000, message: "m2" },
          { id: "f-1", timestamp: 1000 },
        ]);
        expect(await readText(await store.getAttachment("hist", "f-1", 0))).toBe("1");
      }),
    );

    it(
      "lists the newest frames with the count, and pages older ones with listFrames",
      withStore(async (store) => {
        // Timestamps out of push order, and a tie (broken by push order): the list follows timestamps.
        const times = [5000, 1000, 3000, 3000, 2000, 4000, 6000];
        for (const [i, timestamp] of times.entries()) {
          await store.push(frame("paged", [text(String(i))], { id: `p-${i}`, timestamp }));
        }
        const order = ["p-6", "p-0", "p-5", "p-3", "p-2", "p-4", "p-1"];
        const all = await store.getStack("paged", { frames: Number.POSITIVE_INFINITY });
        expect(all.frames.map((f) => f.id)).toEqual(order);
        expect(all.frameCount).toBe(7);
        expect(all.head?.id).toBe("p-6");

        const top = await store.getStack("paged", { frames: 3 });
        expect(top.frames.map((f) => f.id)).toEqual(order.slice(0, 3));
        expect(top.frameCount).toBe(7);
        expect(top.head?.id).toBe("p-6");
        const headOnly = await store.getStack("paged", { frames: 0 });
        expect(headOnly).toMatchObject({ frames: [], frameCount: 7, head: { id: "p-6" } });
        expect((await store.getStack("paged")).frames).toHaveLength(7);

        const seen: string[] = [];
        let page = await store.listFrames("paged", { limit: 3 });
        expect(page.frames).toEqual(all.frames.slice(0, 3));
        for (;;) {
          seen.push(...page.frames.map((f) => f.id));
          if (!page.more) break;
          page = await store.listFrames("paged", { limit: 3, before: page.frames.at(-1)?.id as string });
        }
        expect(seen).toEqual(order);
        expect(await store.listFrames("paged", { before: "p-4" })).toEqual({ frames: [all.frames[6]], more: false });
        expect(await store.listFrames("paged", { before: "p-1" })).toEqual({ frames: [], more: false });
        expect(await store.listFrames("paged", { before: "p-3", limit: 2 })).toEqual({
          frames: all.frames.slice(4, 6),
          more: true,
        });
        expect((await store.listFrames("paged", { limit: Number.POSITIVE_INFINITY })).frames).toEqual(all.frames);
        // Moving the head changes neither the list nor the count.
        await store.updateStack("paged", { head: "p-2" });
        expect(await store.getStack("paged", { frames: 2 })).toMatchObject({
          head: { id: "p-2" },
          frames: all.frames.slice(0, 2),
          frameCount: 7,
        });
      }),
    );

    it(
      "refuses bad paging: unknown stack or `before` frame, bad counts",
      withStore(async (store) => {
        await store.push(frame("paging", [text("1")], { id: "only" }));
        await expect(store.listFrames("no-such-stack")).rejects.toBeInstanceOf(StackNotFoundError);
        await expect(store.listFrames("paging", { before: "nope" })).rejects.toBeInstanceOf(FrameNotFoundError);
        for (const limit of [0, -1, 1.5, Number.NaN]) {
          await expect(store.listFrames("paging", { limit })).rejects.toBeInstanceOf(InvalidRequestError);
        }
        for (const frames of [-1, 2.5, Number.NaN]) {
          await expect(store.getStack("paging", { frames })).rejects.toBeInstanceOf(InvalidRequestError);
        }
        expect(await store.listFrames("paging")).toEqual({
          frames: [{ id: "only", timestamp: expect.any(Number) }],
          more: false,
        });
      }),
    );

    it(
      "stores binary bytes unchanged, with the content type on the blob",
      withStore(async (store) => {
        const bytes = new Uint8Array(70_000).map((_, i) => (i * 31) % 256);
        const { frameId } = await store.push(
          frame("bin", [{ data: bytes, contentType: "image/png", application: "image" }]),
        );
        const blob = await store.getAttachment("bin", frameId, 0);
        expect(blob.type).toBe("image/png");
        expect(new Uint8Array(await blob.arrayBuffer())).toEqual(bytes);
        const fromBlob = await store.push(
          frame("bin", [{ data: new Blob([bytes]), contentType: "application/octet-stream" }]),
        );
        const again = await store.getAttachment("bin", fromBlob.frameId, 0);
        expect(again.type).toBe("application/octet-stream");
        expect(again.size).toBe(bytes.length);
      }),
    );

    it(
      "lists a user's stacks newest head first",
      withStore(async (store) => {
        await store.push(frame("aaa", [text("1")], { timestamp: 1000 }));
        await store.push(frame("bbb", [text("1")], { timestamp: 3000 }));
        await store.push(frame("ccc", [text("1")], { timestamp: 2000 }));
        const list = await store.listStacks();
        expect(list.map((s) => s.name)).toEqual(["bbb", "ccc", "aaa"]);
        expect(list[0]).toMatchObject({ user: store.user, path: `${store.user}/bbb`, private: false });
        expect(list[0]?.head?.timestamp).toBe(3000);
      }),
    );

    it(
      "updates head, private flag and readme",
      withStore(async (store) => {
        const a = await store.push(frame("upd", [text("a")], { timestamp: 1 }));
        await store.push(frame("upd", [text("b")], { timestamp: 2 }));
        await store.updateStack("upd", { head: a.frameId, private: true, readme: "# Read me" });
        const stack = await store.getStack("upd");
        expect(stack.head?.id).toBe(a.frameId);
        expect(stack.private).toBe(true);
        expect(stack.readme).toBe("# Read me");
        expect(stack.frames).toHaveLength(2);
        await expect(store.updateStack("upd", { head: "nope" })).rejects.toBeInstanceOf(FrameNotFoundError);
        await expect(store.updateStack("missing", { private: true })).rejects.toBeInstanceOf(StackNotFoundError);
      }),
    );

    it(
      "refuses a stack update with fields of the wrong type and changes nothing",
      withStore(async (store) => {
        const { frameId } = await store.push(frame("typed", [text("a")]));
        for (const patch of [{ head: 5 }, { private: "yes" }, { readme: 1 }, { private: true, readme: null }]) {
          await expect(
            store.updateStack("typed", patch as unknown as StackPatch),
            JSON.stringify(patch),
          ).rejects.toBeInstanceOf(InvalidRequestError);
        }
        const stack = await store.getStack("typed");
        expect(stack).toMatchObject({ private: false, head: { id: frameId } });
        expect(stack.readme).toBeUndefined();
      }),
    );

    it(
      "deletes a stack with all its frames and attachments",
      withStore(async (store) => {
        const { frameId } = await store.push(frame("gone", [text("x"), text("y", { k: "v" })]));
        await store.push(frame("kept", [text("z")]));
        await store.deleteStack("gone");
        await expect(store.getStack("gone")).rejects.toBeInstanceOf(StackNotFoundError);
        await expect(store.getFrame("gone", frameId)).rejects.toBeInstanceOf(StackNotFoundError);
        await expect(store.getAttachment("gone", frameId, 0)).rejects.toBeInstanceOf(StackNotFoundError);
        expect((await store.listStacks()).map((s) => s.name)).toEqual(["kept"]);
        await expect(store.deleteStack("gone")).rejects.toBeInstanceOf(StackNotFoundError);
        // The name is free again, with a fresh history.
        await store.push(frame("gone", [text("new")]));
        expect((await store.getStack("gone")).frames).toHaveLength(1);
      }),
    );

    it(
      "keeps nested stacks apart: deleting or reading a/b never touches a/b/c or a/bc",
      withStore(async (store) => {
        await store.push(frame("nest", [text("parent")]));
        const child = await store.push(frame("nest/child", [text("child")]));
        await store.push(frame("nested", [text("sibling")]));
        expect((await store.getStack("nest")).frames).toHaveLength(1);
        await store.deleteStack("nest");
        expect(await readText(await store.getAttachment("nest/child", child.frameId, 0))).toBe("child");
        expect((await store.listStacks()).map((s) => s.name).sort()).toEqual(["nest/child", "nested"]);
      }),
    );

    it(
      "rejects bad stack names, naming the rule",
      withStore(async (store) => {
        for (const bad of [
          "ab",
          "a//b",
          "a--b",
          "-abc",
          "abc/",
          "with space",
          "dots.are.bad",
          "x".repeat(256),
          "/onlyuser",
        ]) {
          await expect(store.push(frame(bad, [text("x")])), bad).rejects.toBeInstanceOf(InvalidStackNameError);
        }
        await expect(store.getStack("a//b")).rejects.toThrow(/may not contain '\/\/'/);
        expect(await store.listStacks()).toEqual([]);
      }),
    );

    it(
      "rejects empty pushes, params of the wrong type and missing content types, storing nothing",
      withStore(async (store) => {
        await expect(store.push(frame("bad-input", []))).rejects.toThrow(/at least one attachment/);
        const wrong = [{ x: null }, { x: [1] }, { x: { a: 1 } }, { x: Number.NaN }, { x: Number.POSITIVE_INFINITY }];
        for (const params of wrong) {
          await expect(
            store.push(frame("bad-input", [text("ok"), text("bad", params as unknown as AttachmentPush["params"])])),
          ).rejects.toBeInstanceOf(InvalidRequestError);
        }
        await expect(
          store.push(frame("bad-input", [{ data: new Uint8Array(1), contentType: "" }])),
        ).rejects.toBeInstanceOf(InvalidRequestError);
        await expect(
          store.push(frame("bad-input", [{ data: "not bytes" as unknown as Blob, contentType: "text/plain" }])),
        ).rejects.toBeInstanceOf(InvalidRequestError);
        await expect(store.getStack("bad-input")).rejects.toBeInstanceOf(StackNotFoundError);
      }),
    );

    it(
      "refuses a frame timestamp no Date can hold (beyond ±8.64e15 ms, or not finite), storing nothing",
      withStore(async (store) => {
        const kept = await store.push(frame("when", [text("kept")], { timestamp: 1000 }));
        for (const timestamp of [1e16, -1e16, 8.64e15 + 1, Number.NaN, Number.POSITIVE_INFINITY]) {
          const error = await store.push(frame("when", [text("x")], { timestamp })).catch((e: unknown) => e);
          expect(error, String(timestamp)).toBeInstanceOf(InvalidRequestError);
          expect((error as Error).message, String(timestamp)).toMatch(/timestamp/);
        }
        await expect(store.push(frame("never-when", [text("x")], { timestamp: 1e16 }))).rejects.toBeInstanceOf(
          InvalidRequestError,
        );
        await expect(store.getStack("never-when")).rejects.toBeInstanceOf(StackNotFoundError);
        const stack = await store.getStack("when");
        expect(stack.head?.id).toBe(kept.frameId);
        expect(stack.frames).toEqual([{ id: kept.frameId, timestamp: 1000 }]);
        // The ends of the Date range are fine.
        await store.push(frame("when", [text("last")], { id: "last-ms", timestamp: 8.64e15 }));
        await store.push(frame("when", [text("first")], { id: "first-ms", timestamp: -8.64e15 }));
        expect((await store.getFrame("when", "last-ms")).timestamp).toBe(8.64e15);
        expect((await store.getFrame("when", "first-ms")).timestamp).toBe(-8.64e15);
      }),
    );

    it(
      "applies the access a push names in the same commit as the frame; without one, the stack keeps its access",
      withStore(async (store) => {
        const reader = options.openPeer ? await options.openPeer(store) : store;
        try {
          const { events, off, until } = record(store);
          const path = `${store.user}/acl`;
          await store.push(frame("acl", [text("private from the start")], { id: "a-1", private: true }));
          expect((await store.getStack("acl")).private).toBe(true);
          expect((await store.listStacks()).find((s) => s.name === "acl")?.private).toBe(true);
          // One change, not a push followed by an update (which would show the frame under the old access).
          await store.push(frame("acl-fence", [text("fence")]));
          await until((seen) => seen.some((e) => e.path === `${store.user}/acl-fence`));
          expect(events.filter((e) => e.path === path)).toHaveLength(1);
          off();

          await store.push(frame("acl", [text("no access named")], { id: "a-2" }));
          expect(await store.getStack("acl")).toMatchObject({ private: true, head: { id: "a-2" } });
          await store.push(frame("acl", [text("public again")], { id: "a-3", private: false }));
          expect(await store.getStack("acl")).toMatchObject({ private: false, head: { id: "a-3" } });

          // Readers during a push see the old head with the old access, or the new head with the new one.
          const parts = Array.from({ length: 6 }, (_, i) => ({
            data: new Uint8Array(50_000).fill(i),
            contentType: "application/octet-stream",
            params: { i },
          }));
          const seen: Array<{ head: string | undefined; private: boolean }> = [];
          let done = false;
          const pushing = store.push(frame("acl", parts, { id: "a-4", private: true })).finally(() => {
            done = true;
          });
          while (!done) {
            const s = await reader.getStack("acl");
            seen.push({ head: s.head?.id, private: s.private });
            // A read served from a cache settles in microtasks only: let the push's I/O run between reads.
            await new Promise((resolve) => setTimeout(resolve, 0));
          }
          await pushing;
          const after = await reader.getStack("acl");
          seen.push({ head: after.head?.id, private: after.private });
          for (const s of seen) expect(s).toEqual({ head: s.head, private: s.head === "a-4" });
          expect(seen.at(-1)).toEqual({ head: "a-4", private: true });

          await expect(
            store.push(frame("acl-bad", [text("x")], { private: "yes" as unknown as boolean })),
          ).rejects.toBeInstanceOf(InvalidRequestError);
          await expect(store.getStack("acl-bad")).rejects.toBeInstanceOf(StackNotFoundError);
        } finally {
          if (reader !== store) reader.close?.();
        }
      }),
    );

    it(
      "takes a frame's message from a string params.message when the frame has no message of its own",
      withStore(async (store) => {
        await store.push(frame("msg", [text("1")], { id: "m-1", timestamp: 1, params: { message: "fix axis" } }));
        const stack = await store.getStack("msg");
        expect(stack.head).toMatchObject({ id: "m-1", message: "fix axis", params: { message: "fix axis" } });
        expect(stack.frames).toEqual([{ id: "m-1", timestamp: 1, message: "fix axis" }]);
        expect((await store.listStacks()).find((s) => s.name === "msg")?.head?.message).toBe("fix axis");
        await store.push(frame("msg", [text("2")], { id: "m-2", message: "own", params: { message: "param" } }));
        expect((await store.getFrame("msg", "m-2")).message).toBe("own");
        await store.push(frame("msg", [text("3")], { id: "m-3", params: { message: 3 } }));
        expect((await store.getFrame("msg", "m-3")).message).toBeUndefined();
      }),
    );

    it(
      "rejects a second push of the same frame id without creating a second frame",
      withStore(async (store) => {
        await store.push(frame("dup", [text("1")], { id: "same-id" }));
        await expect(store.push(frame("dup", [text("2")], { id: "same-id" }))).rejects.toBeInstanceOf(
          InvalidRequestError,
        );
        const stack = await store.getStack("dup");
        expect(stack.frames).toHaveLength(1);
        expect(await readText(await store.getAttachment("dup", "same-id", 0))).toBe("1");
      }),
    );

    it(
      "leaves no frame and keeps the head when a push is aborted part-way",
      withStore(async (store) => {
        const before = await store.push(frame("abort", [text("kept")]));
        const controller = new AbortController();
        const progress: number[] = [];
        const attachments = Array.from({ length: 10 }, (_, i) => text(`part ${i}`, { i }));
        await expect(
          store.push(frame("abort", attachments, { id: "aborted" }), {
            signal: controller.signal,
            onProgress: (done) => {
              progress.push(done);
              if (done === 5) controller.abort();
            },
          }),
        ).rejects.toBeInstanceOf(AbortError);
        expect(progress).toContain(5);
        const stack = await store.getStack("abort");
        expect(stack.head?.id).toBe(before.frameId);
        expect(stack.frames.map((f) => f.id)).toEqual([before.frameId]);
        await expect(store.getFrame("abort", "aborted")).rejects.toBeInstanceOf(FrameNotFoundError);
        await expect(store.getAttachment("abort", "aborted", 0)).rejects.toBeInstanceOf(FrameNotFoundError);
        // An already-aborted signal stores nothing either, even for a new stack.
        await expect(store.push(frame("never", [text("x")]), { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
          AbortError,
        );
        await expect(store.getStack("never")).rejects.toBeInstanceOf(StackNotFoundError);
      }),
    );

    it(
      "rejects every read with AbortError when its signal is aborted before or while it runs",
      withStore(async (store) => {
        const { frameId } = await store.push(frame("reads/cancel", [text("a")]));
        const dashboard = await store.createDashboard({ title: "d" });
        const reads = (signal: AbortSignal): Array<Promise<unknown>> => [
          store.listStacks(undefined, { signal }),
          store.getStack("reads/cancel", { signal }),
          store.getFrame("reads/cancel", frameId, { signal }),
          store.getAttachment("reads/cancel", frameId, 0, { signal }),
          store.listDashboards(undefined, { signal }),
          store.getDashboard(dashboard.user, dashboard.id, { signal }),
        ];
        const failures = async (pending: Array<Promise<unknown>>) =>
          (await Promise.allSettled(pending)).map((r) => (r.status === "rejected" ? r.reason : r.value));
        const kinds = (errors: unknown[]) =>
          errors.map((e) => (e instanceof AbortError ? "AbortError" : `not aborted: ${String(e)}`));
        const aborted = Array<string>(6).fill("AbortError");

        expect(kinds(await failures(reads(AbortSignal.abort())))).toEqual(aborted);
        const controller = new AbortController();
        const running = reads(controller.signal);
        controller.abort();
        expect(kinds(await failures(running))).toEqual(aborted);
        // A signal that never aborts changes nothing, and the aborted reads left the store as it was.
        const live = new AbortController().signal;
        expect(await readText(await store.getAttachment("reads/cancel", frameId, 0, { signal: live }))).toBe("a");
        expect((await store.getStack("reads/cancel", { signal: live })).head?.id).toBe(frameId);
      }),
    );

    it(
      "names unknown stacks, frames and attachment indexes in typed errors",
      withStore(async (store) => {
        const { frameId } = await store.push(frame("known", [text("a"), text("b")]));
        await expect(store.getStack("unknown")).rejects.toBeInstanceOf(StackNotFoundError);
        await expect(store.getFrame("known", "no-such-frame")).rejects.toBeInstanceOf(FrameNotFoundError);
        await expect(store.getAttachment("known", frameId, 2)).rejects.toBeInstanceOf(AttachmentNotFoundError);
        await expect(store.getAttachment("known", frameId, -1)).rejects.toBeInstanceOf(AttachmentNotFoundError);
        await expect(store.getAttachment("known", frameId, 0.5)).rejects.toBeInstanceOf(AttachmentNotFoundError);
        await expect(store.getAttachment("known", frameId, 2)).rejects.toThrow(/has 2/);
      }),
    );

    it(
      "creates, lists, updates and deletes dashboards",
      withStore(async (store) => {
        const first = await store.createDashboard({ title: "Sales" });
        const second = await store.createDashboard({ title: "Ops", description: "d", private: true });
        expect(first).toMatchObject({ user: store.user, title: "Sales", description: "", private: false, cards: [] });
        expect(first.id).toMatch(/^[0-9a-f-]{36}$/);
        expect((await store.listDashboards()).map((d) => d.title)).toEqual(["Ops", "Sales"]);
        const updated = await store.updateDashboard(store.user, first.id, { title: "Sales 2", private: true });
        expect(updated).toMatchObject({ title: "Sales 2", private: true });
        expect(await store.getDashboard(store.user, first.id)).toEqual(updated);
        await store.deleteDashboard(store.user, second.id);
        await expect(store.getDashboard(store.user, second.id)).rejects.toBeInstanceOf(DashboardNotFoundError);
        await expect(store.deleteDashboard(store.user, second.id)).rejects.toBeInstanceOf(DashboardNotFoundError);
        await expect(
          store.updateDashboard(store.user, first.id, { title: 5 as unknown as string }),
        ).rejects.toBeInstanceOf(InvalidRequestError);
        expect(await store.listDashboards()).toHaveLength(1);
      }),
    );

    it(
      "inserts, updates, reorders and deletes cards, one per stack",
      withStore(async (store) => {
        const { id } = await store.createDashboard({ title: "Cards" });
        const u = store.user;
        let d = await store.insertCards(u, id, 0, [{ stack: "one" }, { stack: "two", columns: 2 }]);
        expect(d.cards).toEqual([
          { stack: `${u}/one`, columns: 1 },
          { stack: `${u}/two`, columns: 2 },
        ]);
        d = await store.insertCards(u, id, 1, [{ stack: `/${u}/mid`, title: "Mid" }]);
        expect(d.cards.map((c) => c.stack)).toEqual([`${u}/one`, `${u}/mid`, `${u}/two`]);
        d = await store.insertCards(u, id, 99, [{ stack: "last" }]);
        expect(d.cards.at(-1)?.stack).toBe(`${u}/last`);
        await expect(store.insertCards(u, id, 0, [{ stack: "one" }])).rejects.toThrow(/already on this dashboard/);
        await expect(store.insertCards(u, id, 0, [{ stack: "bad//name" }])).rejects.toBeInstanceOf(
          InvalidStackNameError,
        );
        await expect(store.insertCards(u, id, 0, [{ stack: "cols", columns: 3 as 1 }])).rejects.toBeInstanceOf(
          InvalidRequestError,
        );

        d = await store.updateCard(u, id, "two", { title: "Two", description: "desc", columns: 1, index: 0 });
        expect(d.cards[0]).toEqual({ stack: `${u}/two`, title: "Two", description: "desc", columns: 1 });
        expect(d.cards.map((c) => c.stack)).toEqual([`${u}/two`, `${u}/one`, `${u}/mid`, `${u}/last`]);
        d = await store.updateCard(u, id, "two", { index: 3 });
        expect(d.cards.map((c) => c.stack)).toEqual([`${u}/one`, `${u}/mid`, `${u}/last`, `${u}/two`]);
        d = await store.deleteCard(u, id, "mid");
        expect(d.cards.map((c) => c.stack)).toEqual([`${u}/one`, `${u}/last`, `${u}/two`]);
        await expect(store.deleteCard(u, id, "mid")).rejects.toBeInstanceOf(CardNotFoundError);
        await expect(store.updateCard(u, id, "mid", { title: "x" })).rejects.toBeInstanceOf(CardNotFoundError);
        expect((await store.getDashboard(u, id)).cards).toEqual(d.cards);
        await expect(store.insertCards(u, "no-such-dashboard", 0, [{ stack: "x-y" }])).rejects.toBeInstanceOf(
          DashboardNotFoundError,
        );
      }),
    );

    it(
      "tells subscribers about pushes, updates, deletes and dashboard changes",
      withStore(async (store) => {
        const { events, off, until } = record(store);
        const path = `${store.user}/events`;
        await store.push(frame("events", [text("1")]));
        await store.updateStack("events", { readme: "r" });
        await store.deleteStack("events");
        const d = await store.createDashboard({});
        await until((seen) => seen.length >= 4);
        expect(events.slice(0, 3)).toEqual([
          { type: "stack", path },
          { type: "stack", path },
          { type: "stack", path },
        ]);
        expect(events[3]).toEqual({ type: "dashboard", path: `${store.user}/${d.id}` });
        off();
        // Unsubscribed: a listener that is still subscribed hears the next push, the first one does not.
        const still = record(store);
        await store.push(frame("events", [text("2")]));
        await still.until((seen) => seen.some((e) => e.path === path));
        still.off();
        expect(events).toHaveLength(4);
      }),
    );

    it(
      "returns copies: mutating a result never changes the store",
      withStore(async (store) => {
        const { frameId } = await store.push(frame("copies", [text("a", { k: "v" })]));
        const f = await store.getFrame("copies", frameId);
        (f.attachments[0] as { params: Record<string, unknown> }).params.k = "changed";
        f.attachments.pop();
        const again = await store.getFrame("copies", frameId);
        expect(again.attachments).toHaveLength(1);
        expect(again.attachments[0]?.params).toEqual({ k: "v" });
      }),
    );

    if (options.openPeer) {
      const openPeer = options.openPeer;
      it(
        "shows a push made through another connection, and tells its subscribers",
        withStore(async (store) => {
          const peer = await openPeer(store);
          try {
            const { off, until } = record(store);
            const { frameId } = await peer.push(frame("shared", [text("from peer")]));
            await until((seen) => seen.some((e) => e.path === `${store.user}/shared`));
            expect((await store.getStack("shared")).head?.id).toBe(frameId);
            off();
          } finally {
            peer.close?.();
          }
        }),
      );
    }
  });
}
