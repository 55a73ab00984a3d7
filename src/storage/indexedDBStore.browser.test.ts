// The IndexedDB store in real Chromium (Vitest browser mode): conformance plus IndexedDB specifics.
import { describeIndexedDBStoreTests } from "./testing/indexedDBStoreSuite";

describeIndexedDBStoreTests("Chromium");
