// Small builders the store suites share: pushes of text attachments and reading bytes back as text.
import type { AttachmentPush, FramePush } from "../../model/types";

/** A text/plain attachment holding `s`. */
export const text = (s: string, params: AttachmentPush["params"] = {}): AttachmentPush => ({
  data: new TextEncoder().encode(s),
  contentType: "text/plain",
  params,
});

/** A push of `attachments` to `stack`, with any other FramePush fields in `extra`. */
export function frame(stack: string, attachments: AttachmentPush[], extra: Partial<FramePush> = {}): FramePush {
  return { stack, attachments, ...extra };
}

export async function readText(blob: Blob): Promise<string> {
  return new TextDecoder().decode(await blob.arrayBuffer());
}
