// HttpStore in real Chromium (no Buffer: the portable base64 paths; browser fetch, Blob and streams), talking to
// the protocol handler in the page through its `fetch` option. The same conformance suite, unchanged.
import { createDstackHandler } from "../protocol/handler";
import { createHttpStore } from "./httpStore";
import { createMemoryStore } from "./memoryStore";
import { describeStoreConformance } from "./testing/conformance";

describeStoreConformance("http in the browser (handler in the page)", async () => {
  const handler = createDstackHandler({ store: createMemoryStore() });
  return createHttpStore({
    server: "http://dstack.test/api",
    user: "dstack",
    token: "t",
    inlineLimit: 50_000,
    fetch: async (input, init) => handler(new Request(input, init)),
  });
});
