// Server markup (renderToString with a prefetched, dehydrated cache) hydrates in Chromium without mismatches, and
// the page is interactive afterwards.
import { type DehydratedState, dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import { hydrateRoot } from "react-dom/client";
import { renderToString } from "react-dom/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { pushCarsExplorer, pushSeattle } from "../../stories/seed/showcase";
import type { StackStore } from "../model/stackStore";
import { createMemoryStore } from "../storage/memoryStore";
import { DstackProvider, prefetchStack, StackView } from "./index";
import { waitFor } from "./testing/renderInBrowser";

function App({ store, client, state }: { store: StackStore; client: QueryClient; state: DehydratedState }) {
  return (
    <DstackProvider store={store} queryClient={client} cacheKey="page">
      <HydrationBoundary state={state}>
        <StackView stack="cars/explorer" urlSync />
        <StackView stack="weather/seattle" theme="dark" />
      </HydrationBoundary>
    </DstackProvider>
  );
}

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe("hydration (Chromium)", () => {
  it("hydrates server markup without mismatches and then responds to widgets", async () => {
    const store = createMemoryStore();
    await Promise.all([pushCarsExplorer(store), pushSeattle(store)]);
    const server = new QueryClient();
    await prefetchStack(server, store, "cars/explorer", { cacheKey: "page" });
    await prefetchStack(server, store, "weather/seattle", { cacheKey: "page" });
    const state = JSON.parse(JSON.stringify(dehydrate(server))) as DehydratedState;
    const html = renderToString(<App store={store} client={new QueryClient()} state={state} />);
    expect(html).toContain("cars/explorer");

    const container = document.createElement("div");
    container.innerHTML = html;
    document.body.append(container);
    const serverSelect = container.querySelector("select.dk-select:not(.dk-revisions__select)");

    const recoverable = vi.fn();
    const consoleError = vi.spyOn(console, "error");
    // A real browser, no act(): hydration is done once the attachments (fetched by effects) have rendered.
    const root = hydrateRoot(container, <App store={store} client={new QueryClient()} state={state} />, {
      onRecoverableError: recoverable,
    });
    cleanup = () => {
      root.unmount();
      container.remove();
      consoleError.mockRestore();
    };
    await waitFor(() => container.querySelector(".dk-plot, .dk-table"), 30_000, "an attachment");
    expect(recoverable).not.toHaveBeenCalled();
    expect(consoleError).not.toHaveBeenCalled();
    // Hydration reuses the server's elements rather than replacing them.
    const origin = container.querySelector<HTMLSelectElement>("select.dk-select:not(.dk-revisions__select)");
    expect(origin).toBe(serverSelect);

    (origin as HTMLSelectElement).value = "1";
    (origin as HTMLSelectElement).dispatchEvent(new Event("change", { bubbles: true }));
    await waitFor(
      () => container.querySelector(".dk-attachment__description")?.textContent?.includes("Europe"),
      10_000,
      "the European cars",
    );
  });
});
