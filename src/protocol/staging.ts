// Where uploaded attachment bytes wait until their frame is complete. The handler never hands a partial frame
// to the store: bytes are staged here and pushed in one `store.push` once every attachment has arrived.
import { readExactly } from "./readBody";

export interface StagedBlob {
  blob: Blob;
  /** Frees what holds the bytes (a temp file on Node); the blob must not be read afterwards. */
  release(): Promise<void>;
}

export interface BlobStaging {
  /** Takes exactly `length` bytes of `body` (413 when more, 400 when fewer) as a Blob typed `type`. */
  stage(body: ReadableStream<Uint8Array> | null, length: number, type: string): Promise<StagedBlob>;
}

/** Staging in memory: right for msw, tests and small servers; the Node server stages to temp files instead. */
export const memoryStaging: BlobStaging = {
  async stage(body, length, type) {
    const parts: Uint8Array<ArrayBuffer>[] = [];
    await readExactly(body, length, (chunk) => {
      parts.push(chunk as Uint8Array<ArrayBuffer>);
    });
    return { blob: new Blob(parts, { type }), release: async () => {} };
  },
};
