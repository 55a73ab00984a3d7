import { act, renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { describe, expect, it } from "vitest";
import { pushFrame } from "../../client/frame";
import type { StackStore } from "../../model/stackStore";
import { createMemoryStore } from "../../storage/memoryStore";
import { DstackProvider } from "../DstackProvider";
import { dstackKeys, storeKeyOf } from "../queryKeys";
import { pushSingle } from "../testing/fixtures";
import { testQueryClient } from "../testing/renderWithStore";
import { useAttachment } from "./useAttachment";
import { useDashboard } from "./useDashboard";
import { useDashboards } from "./useDashboards";
import { useFrame } from "./useFrame";
import { useStack } from "./useStack";
import { useStacks } from "./useStacks";
import { useTable } from "./useTable";

function wrapperFor(store: StackStore, queryClient = testQueryClient(), pollInterval?: number) {
  return ({ children }: { children: ReactNode }) => (
    <DstackProvider store={store} queryClient={queryClient} {...(pollInterval ? { pollInterval } : {})}>
      {children}
    </DstackProvider>
  );
}

/** The store without change events, as an HTTP store is: only polling can notice changes. */
function silent(store: StackStore): StackStore {
  return Object.assign(Object.create(store) as StackStore, { subscribe: () => () => {} });
}

describe("data hooks", () => {
  it("keys a stack by its full path: a relative and an absolute name share one cache entry", async () => {
    const store = createMemoryStore();
    await pushSingle(store, "notes", "# Hi");
    const queryClient = testQueryClient();
    const { result } = renderHook(() => [useStack("notes"), useStack("/dstack/notes")] as const, {
      wrapper: wrapperFor(store, queryClient),
    });
    await waitFor(() => expect(result.current[0].isSuccess && result.current[1].isSuccess).toBe(true));
    expect(result.current[0].data).toBe(result.current[1].data);
    const key = dstackKeys.stack(storeKeyOf(store), "dstack/notes");
    expect(queryClient.getQueryData(key)).toBe(result.current[0].data);
    expect(queryClient.getQueryCache().findAll({ queryKey: ["dstack", storeKeyOf(store), "stack"] })).toHaveLength(1);
  });

  it("two stores on one QueryClient never share entries", async () => {
    const [a, b] = [createMemoryStore(), createMemoryStore()];
    await pushSingle(a, "same", "# A");
    await pushSingle(b, "same", "# B");
    const queryClient = testQueryClient();
    const first = renderHook(() => useStack("same"), { wrapper: wrapperFor(a, queryClient) });
    const second = renderHook(() => useStack("same"), { wrapper: wrapperFor(b, queryClient) });
    await waitFor(() => expect(first.result.current.isSuccess && second.result.current.isSuccess).toBe(true));
    // Each hook shows its own store's head: a shared entry would give both the same frame.
    const [headA, headB] = [(await a.getStack("same")).head?.id, (await b.getStack("same")).head?.id];
    expect(headA).not.toBe(headB);
    expect(first.result.current.data?.head?.id).toBe(headA);
    expect(second.result.current.data?.head?.id).toBe(headB);
  });

  it("refetches lists and stacks on the store's change events", async () => {
    const store = createMemoryStore();
    await pushSingle(store, "first", "# 1");
    const { result } = renderHook(() => ({ list: useStacks(), stack: useStack("first") }), {
      wrapper: wrapperFor(store),
    });
    await waitFor(() => expect(result.current.list.data).toHaveLength(1));
    const oldHead = result.current.stack.data?.head?.id;
    await act(async () => {
      await pushSingle(store, "second", "# 2");
      await pushSingle(store, "first", "# 1 again");
    });
    await waitFor(() => expect(result.current.list.data?.map((s) => s.name)).toEqual(["first", "second"]));
    await waitFor(() => expect(result.current.stack.data?.head?.id).not.toBe(oldHead));
  });

  it("polls stores that cannot report changes when the provider has a pollInterval", async () => {
    const store = createMemoryStore();
    const { result } = renderHook(() => useStacks(), { wrapper: wrapperFor(silent(store), testQueryClient(), 25) });
    await waitFor(() => expect(result.current.data).toEqual([]));
    await pushSingle(store, "later", "# Later");
    // Generous: on a loaded machine a 25 ms poll may come late; only whether it comes is tested.
    await waitFor(() => expect(result.current.data?.map((s) => s.name)).toEqual(["later"]), { timeout: 10_000 });
  });

  it("without polling or events, a silent store's change is not seen", async () => {
    const store = createMemoryStore();
    const { result } = renderHook(() => useStacks(), { wrapper: wrapperFor(silent(store)) });
    await waitFor(() => expect(result.current.data).toEqual([]));
    await pushSingle(store, "later", "# Later");
    await new Promise((r) => setTimeout(r, 60));
    expect(result.current.data).toEqual([]);
  });

  it("decodes attachments: a frame by id, a figure, a table", async () => {
    const store = createMemoryStore();
    const figure = { data: [{ type: "bar", x: ["a"], y: [1] }] };
    const frameId = await pushSingle(store, "fig", figure);
    const tableFrame = (
      await pushFrame({
        stack: "rows",
        data: [
          { a: 1, b: "x" },
          { a: 2, b: "y" },
        ],
        store,
      })
    ).frameId;
    const { result } = renderHook(
      () => ({
        frame: useFrame("fig", frameId),
        figure: useAttachment("fig", frameId, 0),
        table: useTable("rows", tableFrame, 0),
      }),
      { wrapper: wrapperFor(store) },
    );
    await waitFor(() => expect(result.current.table.isSuccess && result.current.figure.isSuccess).toBe(true));
    expect(result.current.frame.data?.attachments[0]?.application).toBe("plotly");
    expect(result.current.figure.data).toEqual(figure);
    expect(result.current.table.data?.rowCount).toBe(2);
    expect(result.current.table.data?.columns.map((c) => c.name)).toEqual(["a", "b"]);
  });

  it("parses tables with the provider's tableParser when it has one", async () => {
    const store = createMemoryStore();
    const frameId = (await pushFrame({ stack: "rows", data: [{ a: 1 }], store })).frameId;
    const parsed: Array<Blob | string> = [];
    const tableParser = {
      parse: async (input: Blob | string) => {
        parsed.push(input);
        return { rowCount: 0, columns: [] };
      },
    };
    const queryClient = testQueryClient();
    const wrapper = ({ children }: { children: ReactNode }) => (
      <DstackProvider store={store} queryClient={queryClient} tableParser={tableParser}>
        {children}
      </DstackProvider>
    );
    const { result } = renderHook(() => useTable("rows", frameId, 0), { wrapper });
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    expect(parsed).toHaveLength(1);
    expect(result.current.data?.rowCount).toBe(0);
  });

  it("useTable refuses an attachment that is not a table", async () => {
    const store = createMemoryStore();
    const frameId = await pushSingle(store, "markdown", "# not a table");
    const { result } = renderHook(() => useTable("markdown", frameId, 0), { wrapper: wrapperFor(store) });
    await waitFor(() => expect(result.current.isError).toBe(true));
    expect((result.current.error as { code?: string }).code).toBe("malformed_attachment");
  });

  it("lists dashboards and follows their changes", async () => {
    const store = createMemoryStore();
    const made = await store.createDashboard({ title: "Q1" });
    const { result } = renderHook(() => ({ list: useDashboards(), one: useDashboard(made.id) }), {
      wrapper: wrapperFor(store),
    });
    await waitFor(() => expect(result.current.one.data?.title).toBe("Q1"));
    await act(async () => {
      await store.updateDashboard(store.user, made.id, { title: "Q1 sales" });
      await store.createDashboard({ title: "Q2" });
    });
    await waitFor(() => expect(result.current.one.data?.title).toBe("Q1 sales"));
    await waitFor(() => expect(result.current.list.data?.map((d) => d.title).sort()).toEqual(["Q1 sales", "Q2"]));
  });
});
