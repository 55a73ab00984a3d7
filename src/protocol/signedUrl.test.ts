import { describe, expect, it } from "vitest";
import { createUrlSigner } from "./signedUrl";

describe("signed download URLs", () => {
  it("verify only the path, expiry and secret they were made for, until they expire", async () => {
    const signer = createUrlSigner("secret");
    const expires = Date.now() + 60_000;
    const signature = await signer.sign("u/abc/f/0", expires);
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
    expect(await signer.verify("u/abc/f/0", expires, signature)).toBe(true);
    expect(await signer.verify("u/abc/f/1", expires, signature)).toBe(false);
    expect(await signer.verify("u/abc/f/0", expires + 1, signature)).toBe(false);
    expect(await signer.verify("u/abc/f/0", expires, signature, expires + 1)).toBe(false);
    expect(await signer.verify("u/abc/f/0", expires, "zz")).toBe(false);
    expect(await createUrlSigner("other").verify("u/abc/f/0", expires, signature)).toBe(false);
    expect(await createUrlSigner().verify("u/abc/f/0", expires, signature)).toBe(false);
    expect(await signer.verify("u/abc/f/0", Number.NaN, signature)).toBe(false);
  });
});
