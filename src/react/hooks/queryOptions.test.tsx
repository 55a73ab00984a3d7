// The query-option factories: hosts prefetch, suspend and select with the kit's own keys, and the provider's change
// events reach queries built from them.
import { QueryClient, useQuery, useSuspenseQuery } from "@tanstack/react-query";
import { act, renderHook, screen, waitFor } from "@testing-library/react";
import { type ReactNode, Suspense } from "react";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { ColumnTable } from "../../model/columnTable";
import type { StackStore } from "../../model/stackStore";
import type { Dashboard, StackInfo } from "../../model/types";
import { createMemoryStore } from "../../storage/memoryStore";
import { DstackProvider } from "../DstackProvider";
import { StackView } from "../stackView/StackView";
import { pushSingle } from "../testing/fixtures";
import { renderWithStore, testQueryClient } from "../testing/renderWithStore";
import { attachmentQueryOptions, tableQueryOptions } from "./attachmentQueries";
import { dashboardQueryOptions, frameQueryOptions, stackQueryOptions, stacksQueryOptions } from "./queryFactories";
import { useStack } from "./useStack";

const READS = ["listStacks", "getStack", "getFrame", "getAttachment", "listDashboards", "getDashboard"] as const;

/** `base` with every read counted. */
function countingStore(base: StackStore) {
  const counts: Record<string, number> = Object.fromEntries(READS.map((r) => [r, 0]));
  const store = Object.create(base) as StackStore;
  for (const read of READS) {
    const original = (base[read] as (...args: unknown[]) => Promise<unknown>).bind(base);
    Object.assign(store, {
      [read]: (...args: unknown[]) => {
        counts[read] = (counts[read] ?? 0) + 1;
        return original(...args);
      },
    });
  }
  return { store, counts };
}

function wrapperFor(store: StackStore, queryClient: QueryClient, cacheKey?: string) {
  return ({ children }: { children: ReactNode }) => (
    <DstackProvider store={store} queryClient={queryClient} {...(cacheKey ? { cacheKey } : {})}>
      {children}
    </DstackProvider>
  );
}

function SuspendedTitle({ store, stack }: { store: StackStore; stack: string }) {
  const { data } = useSuspenseQuery(stackQueryOptions(store, stack));
  return <h1>{data.path}</h1>;
}

describe("query-option factories", () => {
  it("prefetchQuery with the factories fills what <StackView> reads: it renders with no further store read", async () => {
    const base = createMemoryStore();
    const frameId = await pushSingle(base, "notes", "# Prefetched");
    const { store, counts } = countingStore(base);
    // Fresh for the test's length, as a host sets staleTime for data it prefetched (react-query's SSR advice).
    const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: Number.POSITIVE_INFINITY } } });
    await queryClient.prefetchQuery(stackQueryOptions(store, "notes"));
    await queryClient.prefetchQuery(attachmentQueryOptions(store, "notes", frameId, 0));
    const prefetched = { ...counts };
    expect(prefetched).toMatchObject({ getStack: 1, getAttachment: 1 });

    renderWithStore(<StackView stack="notes" />, { store, queryClient });
    expect(screen.getByRole("heading", { level: 2, name: "dstack/notes" })).not.toBeNull();
    await waitFor(
      () => expect(document.querySelector(".dk-stack__panel .dk-attachment__markdown")?.textContent).toBe("Prefetched"),
      { timeout: 10_000 },
    );
    expect(counts).toEqual(prefetched);
  });

  it("works with useSuspenseQuery inside the provider", async () => {
    const store = createMemoryStore();
    await pushSingle(store, "notes", "# Hi");
    renderWithStore(
      <Suspense fallback={<p>loading</p>}>
        <SuspendedTitle store={store} stack="notes" />
      </Suspense>,
      { store },
    );
    expect(await screen.findByRole("heading", { name: "dstack/notes" })).not.toBeNull();
  });

  it("takes `select`, and shares its cache entry with the hook", async () => {
    const base = createMemoryStore();
    const frameId = await pushSingle(base, "notes", "# Hi");
    const { store, counts } = countingStore(base);
    const { result } = renderHook(
      () => [useQuery({ ...stackQueryOptions(store, "notes"), select: (s) => s.head?.id }), useStack("notes")] as const,
      { wrapper: wrapperFor(store, testQueryClient()) },
    );
    await waitFor(() => expect(result.current[0].data).toBe(frameId));
    expect(result.current[1].data?.head?.id).toBe(frameId);
    expect(counts.getStack).toBe(1);
  });

  it("types the cache: getQueryData of a factory's key is its data", async () => {
    const store = createMemoryStore();
    const queryClient = testQueryClient();
    expectTypeOf(queryClient.getQueryData(stackQueryOptions(store, "notes").queryKey)).toEqualTypeOf<
      StackInfo | undefined
    >();
    expectTypeOf(queryClient.getQueryData(tableQueryOptions(store, "t", "f", 0).queryKey)).toEqualTypeOf<
      ColumnTable | undefined
    >();
    expectTypeOf(queryClient.getQueryData(dashboardQueryOptions(store, "id").queryKey)).toEqualTypeOf<
      Dashboard | undefined
    >();
  });

  it("uses the provider's cacheKey when given the same one, and a relative and absolute name share a key", async () => {
    const store = createMemoryStore();
    await pushSingle(store, "notes", "# Hi");
    const queryClient = testQueryClient();
    const { result } = renderHook(() => useStack("notes"), { wrapper: wrapperFor(store, queryClient, "main") });
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    const key = stackQueryOptions(store, "/dstack/notes", { cacheKey: "main" }).queryKey;
    expect(queryClient.getQueryData(key)).toBe(result.current.data);
    expect(queryClient.getQueryData(stackQueryOptions(store, "notes").queryKey)).toBeUndefined();
    const frameKey = frameQueryOptions(store, "notes", result.current.data?.head?.id ?? "", { cacheKey: "main" });
    expect(frameKey.queryKey).toEqual(["dstack", "main", "frame", "dstack/notes", result.current.data?.head?.id]);
  });

  it("refreshes factory-built queries on the store's change events (stacks, lists and dashboards)", async () => {
    const store = createMemoryStore();
    await pushSingle(store, "notes", "# One");
    const dashboard = await store.createDashboard({ title: "before" });
    const { result } = renderHook(
      () =>
        [
          useQuery({ ...stackQueryOptions(store, "notes"), select: (s) => s.frames.length }),
          useQuery({ ...stacksQueryOptions(store), select: (list) => list.length }),
          useQuery({ ...dashboardQueryOptions(store, dashboard.id), select: (d) => d.title }),
        ] as const,
      { wrapper: wrapperFor(store, testQueryClient()) },
    );
    await waitFor(() => expect(result.current.map((q) => q.data)).toEqual([1, 1, "before"]));
    await act(async () => {
      await pushSingle(store, "notes", "# Two");
      await pushSingle(store, "other", "# Other");
      await store.updateDashboard(dashboard.user, dashboard.id, { title: "after" });
    });
    await waitFor(() => expect(result.current.map((q) => q.data)).toEqual([2, 2, "after"]));
  });
});
