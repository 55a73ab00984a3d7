// @vitest-environment node
// Server rendering in plain Node (no DOM): nothing may touch window or document while rendering or importing.
import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { createMemoryStore } from "../storage/memoryStore";
import { Dashboard, DstackProvider, prefetchStack, StackView } from "./index";
import { dstackKeys } from "./queryKeys";
import { bokehItem } from "./testing/fakeBokeh";
import { pushGrid, pushSingle, pushTabs } from "./testing/fixtures";

describe("server rendering", () => {
  it("renders a StackView without data as a labelled skeleton, with the kit's styles", () => {
    expect(typeof document).toBe("undefined");
    const html = renderToString(
      <DstackProvider store={createMemoryStore()}>
        <StackView stack="line_plot" urlSync />
      </DstackProvider>,
    );
    expect(html).toContain('class="dk-root dk-stack"');
    expect(html).toContain('aria-busy="true"');
    expect(html).toContain("Loading stack…");
    expect(html).toMatch(/<style[^>]*data-precedence="dstack-kit"[^>]*>[\s\S]*\.dk-root/);
  });

  it("renders the stack's content when the cache was prefetched (and dehydrates for the browser)", async () => {
    const store = createMemoryStore();
    await pushGrid(store);
    await pushTabs(store);
    const server = new QueryClient();
    await prefetchStack(server, store, "grid", { cacheKey: "main" });
    await prefetchStack(server, store, "tabbed", { cacheKey: "main" });
    const state = dehydrate(server);
    const html = renderToString(
      <DstackProvider store={store} cacheKey="main">
        <HydrationBoundary state={JSON.parse(JSON.stringify(state))}>
          <StackView stack="grid" defaultParams={{ Year: 2021 }} theme="dark" />
          <StackView stack="tabbed" />
        </HydrationBoundary>
      </DstackProvider>,
    );
    expect(html).toContain("dstack/</span>grid");
    expect(html).toContain('data-dk-theme="dark"');
    expect(html).toMatch(/<label[^>]*>Region<\/label>/);
    expect(html).toContain('aria-valuetext="2021"');
    expect(html).toContain('role="tablist"');
    // Attachments load on the client: their renderers render skeletons on the server.
    expect(html).toContain("Loading…");
  });

  it("renders a bokeh plot as a skeleton even with its item cached: the frame is built in the browser", async () => {
    const store = createMemoryStore();
    const item = bokehItem("p1");
    const frameId = await pushSingle(store, "plots/bokeh", item);
    const server = new QueryClient();
    await prefetchStack(server, store, "plots/bokeh", { cacheKey: "main" });
    server.setQueryData(dstackKeys.attachment("main", "dstack/plots/bokeh", frameId, 0), item);
    const html = renderToString(
      <DstackProvider store={store} queryClient={server} cacheKey="main" bokeh={{ scripts: ["/bokeh.min.js"] }}>
        <StackView stack="plots/bokeh" />
      </DstackProvider>,
    );
    expect(html).toContain("dstack/</span>plots/bokeh");
    expect(html).toContain("Loading Bokeh plot…");
    expect(html).not.toContain("<iframe");
  });

  it("renders a Dashboard (given, with its stacks prefetched) with shared and per-card widgets, and one by id as a skeleton", async () => {
    const store = createMemoryStore();
    await pushGrid(store);
    await pushGrid(store, "grid2");
    const server = new QueryClient();
    await prefetchStack(server, store, "grid", { cacheKey: "main" });
    await prefetchStack(server, store, "grid2", { cacheKey: "main" });
    const dashboard = {
      id: "d1",
      user: "dstack",
      title: "Both grids",
      description: "",
      private: false,
      cards: [
        { stack: "dstack/grid", columns: 1 as const },
        { stack: "dstack/grid2", columns: 2 as const, title: "Second" },
      ],
    };
    const html = renderToString(
      <DstackProvider store={store} queryClient={server} cacheKey="main">
        <Dashboard dashboard={dashboard} editable />
        <Dashboard id="not-loaded-on-the-server" />
      </DstackProvider>,
    );
    expect(html).toContain("Both grids");
    expect(html).toContain('class="dk-card dk-card--wide"');
    expect(html).toContain(">Second</h3>");
    // The grids share Region, Log and Year: one set of widgets at the top, none on the cards
    expect(html.match(/<label[^>]*>Region<\/label>/g)).toHaveLength(1);
    expect(html).toContain("Loading dashboard…");
  });
});
