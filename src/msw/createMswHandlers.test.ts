// msw handlers in Node (setupServer): HttpStore passes the conformance suite against them, tokens are checked
// when a user registry is given, and a relative base URL works.
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BadCredentialsError } from "../model/errors";
import { createUserRegistry } from "../protocol/index";
import { createHttpStore } from "../storage/httpStore";
import { createMemoryStore } from "../storage/memoryStore";
import { describeStoreConformance } from "../storage/testing/conformance";
import { createMswHandlers } from "./index";

const API = "http://dstack.test/api";
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterAll(() => server.close());

describeStoreConformance("http via msw handlers", async () => {
  server.resetHandlers(...createMswHandlers({ store: createMemoryStore(), baseUrl: API }));
  return createHttpStore({ server: API, user: "dstack", token: "anything" });
});

describe("createMswHandlers", () => {
  it("serves the store it is given, including large pushes through upload URLs", async () => {
    const store = createMemoryStore();
    server.resetHandlers(...createMswHandlers({ store, baseUrl: `${API}/` }));
    const http = createHttpStore({ server: API, user: "dstack", token: "t", inlineLimit: 1000 });
    const { frameId } = await http.push({
      stack: "mocked",
      attachments: [{ data: new Uint8Array(5000).fill(3), contentType: "application/octet-stream" }],
    });
    expect((await store.getAttachment("mocked", frameId, 0)).size).toBe(5000);
    expect((await http.getAttachment("mocked", frameId, 0)).size).toBe(5000);
  });

  it("checks tokens when given a user registry", async () => {
    const users = createUserRegistry();
    const token = users.addUser("dstack");
    server.resetHandlers(...createMswHandlers({ users, baseUrl: API }));
    await expect(createHttpStore({ server: API, user: "dstack", token: "wrong" }).listStacks()).rejects.toBeInstanceOf(
      BadCredentialsError,
    );
    expect(await createHttpStore({ server: API, user: "dstack", token }).listStacks()).toEqual([]);
  });

  it("mocks a path on any origin when the base URL is relative", async () => {
    server.resetHandlers(...createMswHandlers());
    const response = await fetch("http://anywhere.test/api/stacks/dstack");
    expect(await response.json()).toEqual({ stacks: [] });
  });
});
