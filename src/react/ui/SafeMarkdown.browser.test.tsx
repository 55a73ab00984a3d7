// GFM markdown in Chromium: server markup (plain source text) hydrates without mismatches and then turns into parsed
// markdown in place; tables, task lists and footnotes pass axe in light and dark, and a wide table scrolls in its
// own box on a 320 px screen.
import { type DehydratedState, dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import axe from "axe-core";
import { hydrateRoot } from "react-dom/client";
import { renderToString } from "react-dom/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { page } from "vitest/browser";
import { pushGfmNotes } from "../../../stories/seed/showcase";
import { pushFrame } from "../../client/frame";
import type { StackStore } from "../../model/stackStore";
import { createMemoryStore } from "../../storage/memoryStore";
import { DstackProvider, prefetchStack, StackView } from "../index";
import { renderInBrowser, waitFor } from "../testing/renderInBrowser";

const parsed = (root: ParentNode) =>
  root.querySelectorAll(".dk-markdown").length > 0 && root.querySelector(".dk-markdown__source") === null;

function App({ store, state }: { store: StackStore; state: DehydratedState }) {
  return (
    <DstackProvider store={store} queryClient={new QueryClient()} cacheKey="page">
      <HydrationBoundary state={state}>
        <StackView stack="notes/weather" />
      </HydrationBoundary>
    </DstackProvider>
  );
}

let cleanup: (() => void) | undefined;
afterEach(async () => {
  cleanup?.();
  cleanup = undefined;
  await page.viewport(1024, 768);
});

async function notesStore(): Promise<StackStore> {
  const store = createMemoryStore();
  await pushGfmNotes(store);
  return store;
}

describe("GFM markdown (Chromium)", () => {
  for (const theme of ["light", "dark"] as const) {
    it(`has no axe violations: table, strikethrough, task list, autolinks, footnote (${theme})`, async () => {
      const screen = await renderInBrowser(<StackView stack="notes/weather" theme={theme} />, await notesStore());
      cleanup = () => screen.unmount();
      await waitFor(() => document.querySelectorAll("table").length === 2 && parsed(document), 30_000, "GFM tables");
      const result = await axe.run(document.body, { resultTypes: ["violations"] });
      expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
      // Header cells are tinted apart from body cells, in either theme.
      const th = document.querySelector(".dk-markdown th") as HTMLElement;
      const td = document.querySelector(".dk-markdown td") as HTMLElement;
      expect(getComputedStyle(th).backgroundColor).not.toBe(getComputedStyle(td).backgroundColor);
      expect(getComputedStyle(th).borderTopStyle).toBe("solid");
    });
  }

  it("keeps a wide table inside a 320 px screen: it scrolls in its own box", async () => {
    await page.viewport(320, 640);
    const wide = `| ${Array.from({ length: 12 }, (_, i) => `column_number_${i}`).join(" | ")} |\n|${"---|".repeat(12)}\n| ${Array.from({ length: 12 }, (_, i) => i).join(" | ")} |`;
    const store = createMemoryStore();
    await pushFrame({ stack: "notes/wide", data: wide, description: wide, store });
    const screen = await renderInBrowser(<StackView stack="notes/wide" />, store);
    cleanup = () => screen.unmount();
    await waitFor(() => document.querySelectorAll("table").length === 2, 30_000, "the wide tables");
    const box = document.querySelector(".dk-markdown__table") as HTMLElement;
    expect(box.scrollWidth).toBeGreaterThan(box.clientWidth);
    expect(document.documentElement.scrollWidth).toBeLessThanOrEqual(320);
  });
  // Last: the kit's <style> came with the server markup, and React keeps treating it as inserted after the
  // container is removed, so a later render in this page would have no styles.
  it("hydrates the server's plain text without mismatches, then parses it in the same elements", async () => {
    const store = await notesStore();
    const server = new QueryClient();
    await prefetchStack(server, store, "notes/weather", { cacheKey: "page" });
    const state = JSON.parse(JSON.stringify(dehydrate(server))) as DehydratedState;
    const html = renderToString(<App store={store} state={state} />);
    expect(html).toContain("| owner | status |");
    expect(html).not.toContain("<table");

    const container = document.createElement("div");
    container.innerHTML = html;
    document.body.append(container);
    const serverReadme = container.querySelector(".dk-stack__readme");
    expect(serverReadme?.querySelector(".dk-markdown__source")).not.toBeNull();

    const recoverable = vi.fn();
    const consoleError = vi.spyOn(console, "error");
    const root = hydrateRoot(container, <App store={store} state={state} />, { onRecoverableError: recoverable });
    cleanup = () => {
      root.unmount();
      container.remove();
      consoleError.mockRestore();
    };
    await waitFor(() => container.querySelectorAll("table").length === 2 && parsed(container), 30_000, "GFM tables");
    expect(recoverable).not.toHaveBeenCalled();
    expect(consoleError).not.toHaveBeenCalled();
    expect(container.querySelector(".dk-stack__readme")).toBe(serverReadme);
    expect(serverReadme?.querySelector("th")?.textContent).toBe("owner");
  });
});
