import { TextEncoder as NodeTextEncoder } from "node:util";
import { cleanup } from "@testing-library/react";
import { afterEach } from "vitest";

// Vitest's jsdom environment exposes jsdom's typed-array constructors but Node's TextEncoder, so encoded bytes fail
// `instanceof Uint8Array` in the store. Encode into this realm's Uint8Array, as a browser does.
class RealmTextEncoder extends NodeTextEncoder {
  override encode(input?: string): Uint8Array<ArrayBuffer> {
    const bytes = super.encode(input);
    return new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength);
  }
}
globalThis.TextEncoder = RealmTextEncoder as typeof TextEncoder;

// jsdom lacks object URLs; the image renderer and downloads need them. Recorded so tests can check revocation.

export const objectUrls = { created: new Set<string>(), revoked: new Set<string>() };

if (typeof URL.createObjectURL !== "function") {
  let next = 0;
  URL.createObjectURL = () => {
    next += 1;
    const url = `blob:jsdom/${next}`;
    objectUrls.created.add(url);
    return url;
  };
  URL.revokeObjectURL = (url: string) => {
    objectUrls.revoked.add(url);
  };
}

// React checks this to run act() warnings the way a test environment expects.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

afterEach(() => {
  cleanup();
});
