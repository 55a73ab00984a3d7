// dstack-kit/msw: the dstack API mocked in the browser (Storybook, demos) or in tests, by the same protocol handler
// the Node server runs.

export { createUserRegistry, type MemoryUserRegistry, type UserRegistry } from "../protocol/users";
export { createDstackHandlers, type DstackHandlersOptions } from "./createDstackHandlers";
