// Cancelling a query aborts its store read: every hook hands react-query's signal to the store (and to the table
// parser), so unmounting the last view of a query, or cancelQueries, stops the transfer behind it.
import type { QueryClient } from "@tanstack/react-query";
import { act, renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { describe, expect, it } from "vitest";
import type { TableParserLike } from "../../client/decode";
import { AbortError } from "../../model/errors";
import type { ReadOptions, StackStore } from "../../model/stackStore";
import type { AttachmentInfo } from "../../model/types";
import { createMemoryStore } from "../../storage/memoryStore";
import { DstackProvider } from "../DstackProvider";
import { prefetchStack } from "../prefetch";
import { pushSingle } from "../testing/fixtures";
import { testQueryClient } from "../testing/renderWithStore";
import { stackQueryOptions } from "./queryFactories";
import { useAttachment, useAttachmentBytes } from "./useAttachment";
import { useDashboard } from "./useDashboard";
import { useDashboards } from "./useDashboards";
import { useFrame } from "./useFrame";
import { useStack } from "./useStack";
import { useStacks } from "./useStacks";
import { useTable } from "./useTable";

type Read = "listStacks" | "getStack" | "getFrame" | "getAttachment" | "listDashboards" | "getDashboard";
/** Where each read takes its `{ signal }`. */
const OPTIONS_AT: Record<Read, number> = {
  listStacks: 1,
  getStack: 1,
  getFrame: 2,
  getAttachment: 3,
  listDashboards: 1,
  getDashboard: 2,
};

interface Call {
  read: Read;
  signal: AbortSignal | undefined;
}

/**
 * `base` with the reads in `hang` held open until their signal aborts (then rejecting with AbortError, as a store
 * does); every read records the signal it got.
 */
function recordingStore(base: StackStore, hang: Read[]) {
  const calls: Call[] = [];
  const store: StackStore = Object.create(base) as StackStore;
  for (const read of Object.keys(OPTIONS_AT) as Read[]) {
    const original = (base[read] as (...args: unknown[]) => Promise<unknown>).bind(base);
    Object.assign(store, {
      [read]: (...args: unknown[]) => {
        const signal = (args[OPTIONS_AT[read]] as ReadOptions | undefined)?.signal;
        calls.push({ read, signal });
        if (!hang.includes(read)) return original(...args);
        return new Promise((_, reject) => {
          if (!signal) return; // never settles: what a store without cancellation does
          if (signal.aborted) reject(new AbortError());
          signal.addEventListener("abort", () => reject(new AbortError()), { once: true });
        });
      },
    });
  }
  Object.assign(store, { subscribe: () => () => {} });
  const callsOf = (read: Read) => calls.filter((c) => c.read === read);
  return { store, calls, callsOf };
}

function wrapperFor(store: StackStore, queryClient: QueryClient = testQueryClient()) {
  return ({ children }: { children: ReactNode }) => (
    <DstackProvider store={store} queryClient={queryClient}>
      {children}
    </DstackProvider>
  );
}

/** A stack of one markdown attachment and one dashboard, in a fresh memory store. */
async function seeded() {
  const base = createMemoryStore();
  const frameId = await pushSingle(base, "notes", "# Hi");
  const table = await pushSingle(base, "table", [{ a: 1 }, { a: 2 }]);
  const dashboard = await base.createDashboard({ title: "d" });
  const info = (await base.getFrame("notes", frameId)).attachments[0] as AttachmentInfo;
  return { base, frameId, table, dashboard, info };
}

/** Renders `hook`, waits for `read` to start, unmounts, and returns the signals that read got. */
async function unmountDuring(store: ReturnType<typeof recordingStore>, read: Read, hook: () => unknown) {
  const view = renderHook(hook, { wrapper: wrapperFor(store.store) });
  await waitFor(() => expect(store.callsOf(read).length).toBeGreaterThan(0));
  const signals = store.callsOf(read).map((c) => c.signal);
  expect(signals.every((s) => s?.aborted === false)).toBe(true);
  view.unmount();
  return signals;
}

describe("cancellation: unmounting a view aborts its store reads", () => {
  it.each<[string, Read, (s: Awaited<ReturnType<typeof seeded>>) => () => unknown]>([
    ["useStacks", "listStacks", () => () => useStacks()],
    ["useStack", "getStack", () => () => useStack("notes")],
    ["useFrame", "getFrame", (s) => () => useFrame("notes", s.frameId)],
    ["useAttachment (frame lookup)", "getFrame", (s) => () => useAttachment("notes", s.frameId, 0)],
    ["useAttachment (bytes)", "getAttachment", (s) => () => useAttachment("notes", s.frameId, s.info)],
    ["useAttachmentBytes", "getAttachment", (s) => () => useAttachmentBytes("notes", s.frameId, 0)],
    ["useTable", "getAttachment", (s) => () => useTable("table", s.table, 0)],
    ["useDashboards", "listDashboards", () => () => useDashboards()],
    ["useDashboard", "getDashboard", (s) => () => useDashboard(s.dashboard.id)],
  ])("%s: %s gets a signal that aborts on unmount", async (_, read, hook) => {
    const s = await seeded();
    const store = recordingStore(s.base, [read]);
    const signals = await unmountDuring(store, read, hook(s));
    await waitFor(() => expect(signals.map((signal) => signal?.aborted)).toEqual(signals.map(() => true)));
  });

  it("cancelQueries on a factory's key aborts the read, and the query goes back to waiting", async () => {
    const s = await seeded();
    const store = recordingStore(s.base, ["getStack"]);
    const queryClient = testQueryClient();
    const view = renderHook(() => useStack("notes"), { wrapper: wrapperFor(store.store, queryClient) });
    await waitFor(() => expect(store.callsOf("getStack")).toHaveLength(1));
    await act(() => queryClient.cancelQueries({ queryKey: stackQueryOptions(store.store, "notes").queryKey }));
    expect(store.callsOf("getStack")[0]?.signal?.aborted).toBe(true);
    expect(view.result.current.error).toBeNull();
    view.unmount();
  });

  it("prefetchStack passes the signal too: cancelling the prefetch aborts the read", async () => {
    const s = await seeded();
    const store = recordingStore(s.base, ["getStack"]);
    const queryClient = testQueryClient();
    const pending = prefetchStack(queryClient, store.store, "notes").catch((error: unknown) => error);
    await waitFor(() => expect(store.callsOf("getStack")).toHaveLength(1));
    await queryClient.cancelQueries({ queryKey: stackQueryOptions(store.store, "notes").queryKey });
    expect(store.callsOf("getStack")[0]?.signal?.aborted).toBe(true);
    await pending;
  });

  it("hands the signal to the provider's table parser", async () => {
    const s = await seeded();
    const store = recordingStore(s.base, []);
    const seen: Array<AbortSignal | undefined> = [];
    const parser: TableParserLike = {
      parse: (_input, options) =>
        new Promise((_, reject) => {
          seen.push(options.signal);
          options.signal?.addEventListener("abort", () => reject(new AbortError()), { once: true });
        }),
    };
    const queryClient = testQueryClient();
    const view = renderHook(() => useTable("table", s.table, 0), {
      wrapper: ({ children }: { children: ReactNode }) => (
        <DstackProvider store={store.store} queryClient={queryClient} tableParser={parser}>
          {children}
        </DstackProvider>
      ),
    });
    await waitFor(() => expect(seen).toHaveLength(1));
    expect(seen[0]?.aborted).toBe(false);
    view.unmount();
    await waitFor(() => expect(seen[0]?.aborted).toBe(true));
  });

  it("keeps a shared bytes read going while another view still shows the attachment", async () => {
    const s = await seeded();
    const store = recordingStore(s.base, ["getAttachment"]);
    const queryClient = testQueryClient();
    const wrapper = wrapperFor(store.store, queryClient);
    // The decoded view and a download/image view share one bytes query.
    const decoded = renderHook(() => useAttachment("notes", s.frameId, s.info), { wrapper });
    const raw = renderHook(() => useAttachmentBytes("notes", s.frameId, s.info), { wrapper });
    await waitFor(() => expect(store.callsOf("getAttachment").length).toBeGreaterThan(0));
    decoded.unmount();
    // Let react-query run the cancellation it would do: the bytes read must survive it.
    await act(async () => {});
    expect(store.callsOf("getAttachment").map((c) => c.signal?.aborted)).toEqual([false]);
    raw.unmount();
    await waitFor(() => expect(store.callsOf("getAttachment").map((c) => c.signal?.aborted)).toEqual([true]));
  });

  it("an attachment by index reads its frame once and its bytes once, through the shared queries", async () => {
    const s = await seeded();
    const store = recordingStore(s.base, []);
    const view = renderHook(() => [useAttachment("notes", s.frameId, 0), useAttachmentBytes("notes", s.frameId, 0)], {
      wrapper: wrapperFor(store.store),
    });
    await waitFor(() => expect(view.result.current[0]?.data).toBe("# Hi"));
    await waitFor(() => expect(view.result.current[1]?.data).toBeInstanceOf(Blob));
    expect(store.callsOf("getFrame")).toHaveLength(1);
    expect(store.callsOf("getAttachment")).toHaveLength(1);
    view.unmount();
  });
});
