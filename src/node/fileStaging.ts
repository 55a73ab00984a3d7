// Uploads (PUT upload_url) staged in temp files instead of memory: a 1 GB attachment costs disk, not RAM. The
// staged Blob is file-backed (fs.openAsBlob), so the file store streams it into place when the frame commits.
import { randomUUID } from "node:crypto";
import { openAsBlob } from "node:fs";
import { mkdir, open, rm } from "node:fs/promises";
import { join } from "node:path";
import { readExactly } from "../protocol/readBody";
import type { BlobStaging } from "../protocol/staging";

/** Staging in `dir` (created if needed). Its files are only valid until the frame commits or expires. */
export function createFileStaging(dir: string): BlobStaging {
  let made: Promise<unknown> | undefined;
  return {
    async stage(body, length, type) {
      made ??= mkdir(dir, { recursive: true });
      await made;
      const file = join(dir, `upload-${randomUUID()}`);
      const handle = await open(file, "wx", 0o600);
      try {
        await readExactly(body, length, async (chunk) => {
          let offset = 0;
          while (offset < chunk.byteLength) {
            offset += (await handle.write(chunk, offset, chunk.byteLength - offset)).bytesWritten;
          }
        });
      } catch (error) {
        await handle.close();
        await rm(file, { force: true });
        throw error;
      }
      await handle.close();
      return { blob: await openAsBlob(file, { type }), release: () => rm(file, { force: true }) };
    },
  };
}
