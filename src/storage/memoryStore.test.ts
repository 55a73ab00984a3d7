import { createMemoryStore } from "./memoryStore";
import { describeStoreConformance } from "./testing/conformance";

describeStoreConformance("memory", async () => createMemoryStore());
describeStoreConformance("memory (user alice)", async () => createMemoryStore({ user: "alice" }));
