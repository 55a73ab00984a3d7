// A download_url carries its own authorisation, because dstack-py fetches it without the bearer token and
// browsers open links without headers. The signature binds the bytes' address to who asked for it and when:
// the handler re-checks that this viewer may still see the stack when the link is used, and refuses links
// issued before the stack was deleted, made private or unshared. A link is never worth more than its viewer.
import { ForbiddenError } from "../model/errors";
import type { Caller } from "./access";
import type { UrlSigner } from "./signedUrl";

export interface DownloadGrant {
  /** Who the link was issued to, rebuilt as a caller. */
  viewer: Caller;
  /** Epoch ms at which it was issued. */
  issuedAt: number;
}

const SUPERUSER = "*";

export function createDownloadLinks(signer: UrlSigner, ttlMs: number, now: () => number) {
  const message = (target: string, by: string, issuedAt: number) => `${target}\n${by}\n${issuedAt}`;
  return {
    /** The query string (without `?`) that authorises `caller` to fetch `target` (`user/name.../frame/index`). */
    async issue(target: string, caller: Caller): Promise<string> {
      const by = caller.superuser ? SUPERUSER : (caller.user ?? "");
      const issuedAt = now();
      const expires = issuedAt + ttlMs;
      const signature = await signer.sign(message(target, by, issuedAt), expires);
      return new URLSearchParams({ by, iat: String(issuedAt), expires: String(expires), signature }).toString();
    },
    /** The grant in `query` for `target`; ForbiddenError when it is forged, altered or expired. */
    async verify(target: string, query: Record<string, string>): Promise<DownloadGrant> {
      const by = query.by ?? "";
      const issuedAt = Number(query.iat);
      const expires = Number(query.expires);
      const valid =
        Number.isSafeInteger(issuedAt) &&
        issuedAt <= now() &&
        (await signer.verify(message(target, by, issuedAt), expires, query.signature ?? "", now()));
      if (!valid) throw new ForbiddenError("the download link is invalid or has expired");
      const viewer: Caller =
        by === SUPERUSER ? { superuser: true } : by ? { user: by, superuser: false } : { superuser: false };
      return { viewer, issuedAt };
    },
  };
}

export type DownloadLinks = ReturnType<typeof createDownloadLinks>;
