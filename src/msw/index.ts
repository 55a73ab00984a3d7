// dstack-kit/msw: the dstack API mocked in the browser (Storybook, demos) or in tests, by the same protocol handler
// the Node server runs. Users and tokens for it (`createUserRegistry`) come from `dstack-kit/server`.

export { createMswHandlers, type MswHandlersOptions } from "./createMswHandlers";
