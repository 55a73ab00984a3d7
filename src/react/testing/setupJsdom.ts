import { TextEncoder as NodeTextEncoder } from "node:util";
import { cleanup, configure } from "@testing-library/react";
import { afterEach } from "vitest";
import { installObjectUrlStubs } from "./objectUrls";

// Vitest's jsdom environment exposes jsdom's typed-array constructors but Node's TextEncoder, so encoded bytes fail
// `instanceof Uint8Array` in the store. Encode into this realm's Uint8Array, as a browser does.
class RealmTextEncoder extends NodeTextEncoder {
  override encode(input?: string): Uint8Array<ArrayBuffer> {
    const bytes = super.encode(input);
    return new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength);
  }
}
globalThis.TextEncoder = RealmTextEncoder as typeof TextEncoder;

// Object URLs for the image renderer and downloads: jsdom cannot load them anyway, so stand-ins recorded for tests
// that check revocation (Node's own URL.createObjectURL would hold the Blobs until the process ends).
installObjectUrlStubs();

// React checks this to run act() warnings the way a test environment expects.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

// findBy*/waitFor wait for what they look for; the default 1 s is too short on a loaded 2-core CI machine, where a
// lazily imported module (markdown, plotly) can take longer to arrive. A passing test never waits this long.
configure({ asyncUtilTimeout: 10_000 });

afterEach(() => {
  cleanup();
});
