// Download URLs carry their own authorisation (an expiring HMAC), because dstack-py fetches `download_url`
// without the bearer token, and browsers open download links without headers.

const encoder = new TextEncoder();

function toHex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
}

function fromHex(hex: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^(?:[0-9a-f]{2})+$/.test(hex)) return undefined;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export interface UrlSigner {
  /** Signature of `path` valid until `expires` (epoch ms). */
  sign(path: string, expires: number): Promise<string>;
  /** True when `signature` is the one for `path` and `expires` has not passed. */
  verify(path: string, expires: number, signature: string, now?: number): Promise<boolean>;
}

/** HMAC-SHA-256 signer; a random secret (URLs die with the process) unless one is given. */
export function createUrlSigner(secret?: string): UrlSigner {
  const raw = secret === undefined ? crypto.getRandomValues(new Uint8Array(32)) : encoder.encode(secret);
  let key: Promise<CryptoKey> | undefined;
  const getKey = () => {
    key ??= crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    return key;
  };
  const message = (path: string, expires: number) => encoder.encode(`${expires}\n${path}`);
  return {
    async sign(path, expires) {
      return toHex(await crypto.subtle.sign("HMAC", await getKey(), message(path, expires)));
    },
    async verify(path, expires, signature, now = Date.now()) {
      if (!Number.isSafeInteger(expires) || expires < now) return false;
      const bytes = fromHex(signature);
      if (!bytes) return false;
      // subtle.verify compares in constant time.
      return crypto.subtle.verify("HMAC", await getKey(), bytes, message(path, expires));
    },
  };
}
