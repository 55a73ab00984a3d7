// The hooks over a real HttpStore on loopback: one layer retries (the store), and unmounting a view closes the
// request behind it.

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { QueryClient } from "@tanstack/react-query";
import { renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { DstackError } from "../../model/errors";
import type { StackStore } from "../../model/stackStore";
import { type FlakyServer, startFlakyServer } from "../../node/testing/flakyServer";
import { createHttpStoreWithClock } from "../../storage/httpStore";
import { DstackProvider } from "../DstackProvider";
import { useStack } from "./useStack";

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

/** A QueryClient with react-query's own defaults (3 retries): the kit's options must win over them. */
function wrapperFor(store: StackStore) {
  const queryClient = new QueryClient();
  return ({ children }: { children: ReactNode }) => (
    <DstackProvider store={store} queryClient={queryClient}>
      {children}
    </DstackProvider>
  );
}

/** Backoff waits end at once (the store still asks for them), so the test never waits on a timer. */
const noWait = { sleep: async () => {} };

describe("hooks over HttpStore", () => {
  it("one 503 reaches the view after HttpStore's own attempts only: react-query adds none", async () => {
    const server: FlakyServer = await startFlakyServer((method, path) =>
      method === "GET" && path.startsWith("/api/stacks/") ? "503" : "ok",
    );
    stops.push(server.close);
    const retries = 3;
    const store = createHttpStoreWithClock(
      { server: server.apiUrl, user: "dstack", token: "t", retries, events: false },
      noWait,
    );
    const { result, unmount } = renderHook(() => useStack("busy"), { wrapper: wrapperFor(store) });
    await waitFor(() => expect(result.current.isError).toBe(true));
    expect(result.current.error).toBeInstanceOf(DstackError);
    expect((result.current.error as DstackError).status).toBe(503);
    const reads = server.seen.filter((r) => r.method === "GET" && r.path.startsWith("/api/stacks/"));
    expect(reads).toHaveLength(1 + retries);
    expect(result.current.failureCount).toBe(1);
    unmount();
  });

  it("unmounting a view closes its request on the server", async () => {
    const closed: Array<Promise<void>> = [];
    let arrived: () => void = () => {};
    const first = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const server: Server = createServer((_req, res) => {
      // Never answers: the only way this request ends is the client going away.
      closed.push(new Promise<void>((resolve) => res.once("close", () => resolve())));
      arrived();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    stops.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    );
    const { port } = server.address() as AddressInfo;
    const store = createHttpStoreWithClock(
      { server: `http://127.0.0.1:${port}/api`, user: "dstack", token: "t", events: false },
      noWait,
    );
    const { unmount } = renderHook(() => useStack("slow"), { wrapper: wrapperFor(store) });
    await first;
    unmount();
    await closed[0];
    expect(closed).toHaveLength(1);
  });
});
