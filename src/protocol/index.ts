// dstack-kit/server: the server side of the dstack wire protocol as one Web-standard handler,
// `(Request) => Promise<Response>`, over any StackStore, and the registry of users and tokens it checks. It runs
// wherever Request and Response exist (Node, Deno, Bun, workers, a service worker); nothing happens at import
// time. `dstack-kit/node` serves it over node:http with the file store (`startServer`), `dstack-kit/msw` as msw
// handlers.

export { createDstackHandler, type DstackHandler, type DstackHandlerOptions } from "./handler";
export { createUserRegistry, type MemoryUserRegistry, type UserRegistry, type UserRegistryOptions } from "./users";
