// Reading frames and their bytes: frame metadata, attachments inline (base64), as a preview or a download_url,
// and the raw bytes behind a download_url.
import { Hono } from "hono";
import { downloadName } from "../model/downloadName";
import { AttachmentNotFoundError, ForbiddenError, StackNotFoundError } from "../model/errors";
import type { StackPath } from "../model/stackPath";
import { encodeBase64 } from "./base64";
import { parseWirePath } from "./fields";
import type { HandlerContext } from "./handlerContext";
import { attachmentHeaders } from "./inertBytes";
import { json } from "./jsonResponse";
import { toWireAttachmentInfo, toWireFrame, type WireAttachment } from "./wire";

/** `user/name.../last` split into the stack and `count` trailing segments (frame id, index). */
function splitTail(rest: string, count: number): [StackPath, ...string[]] {
  const parts = rest.split("/");
  if (parts.length < count + 2) throw new StackNotFoundError(rest);
  const tail = parts.splice(parts.length - count, count);
  return [parseWirePath(parts.join("/")), ...tail];
}

async function bytesOf(blob: Blob): Promise<Uint8Array> {
  return new Uint8Array(await blob.arrayBuffer());
}

export function downloadRoutes(ctx: HandlerContext): Hono {
  const { store, visible, links, revocations, limits } = ctx;
  const app = new Hono();

  app.get("/frames/:rest{.+}", async (c) => {
    const caller = await ctx.reader(c);
    const read = ctx.readOptions(c);
    const [stack, frameId] = splitTail(c.req.param("rest"), 1);
    await visible.stack(caller, stack, read);
    return json({ frame: toWireFrame(await store.getFrame(`/${stack.path}`, frameId as string, read)) });
  });

  app.get("/attachs/:rest{.+}", async (c) => {
    const caller = await ctx.reader(c);
    const read = ctx.readOptions(c);
    const [stack, frameId, indexText] = splitTail(c.req.param("rest"), 2) as [StackPath, string, string];
    await visible.stack(caller, stack, read);
    const frame = await store.getFrame(`/${stack.path}`, frameId, read);
    const index = Number(indexText);
    const info = Number.isInteger(index) && index >= 0 ? frame.attachments[index] : undefined;
    if (!info) {
      throw new AttachmentNotFoundError(
        `attachment ${indexText} not found in frame ${frameId} of ${stack.path} (it has ${frame.attachments.length})`,
      );
    }
    const wire: WireAttachment = toWireAttachmentInfo(info);
    if (info.length < limits.inlineBytes) {
      wire.data = encodeBase64(await bytesOf(await store.getAttachment(`/${stack.path}`, frameId, index, read)));
    } else if (c.req.query("download") === "true") {
      const target = `${stack.path}/${frameId}/${index}`;
      wire.download_url = `${ctx.originOf(c.req.raw)}${ctx.basePath}/blobs/${target}?${await links.issue(target, caller)}`;
    } else {
      const blob = await store.getAttachment(`/${stack.path}`, frameId, index, read);
      wire.preview = true;
      wire.data = encodeBase64(await bytesOf(blob.slice(0, limits.previewBytes)));
    }
    return json({ attachment: wire });
  });

  // Raw bytes behind a download_url. The signature says who it was issued to and when; whether that viewer may
  // still see the stack, and whether the link was revoked since, is checked now, on every use.
  app.get("/blobs/:rest{.+}", async (c) => {
    const read = ctx.readOptions(c);
    const rest = c.req.param("rest");
    const grant = await links.verify(rest, c.req.query());
    const [stack, frameId, indexText] = splitTail(rest, 2) as [StackPath, string, string];
    await visible.stack(grant.viewer, stack, read);
    if (grant.issuedAt <= (await revocations.revokedAt(stack.path))) {
      throw new ForbiddenError("the download link was revoked (the stack changed its access or was deleted)");
    }
    const index = Number(indexText);
    const info = (await store.getFrame(`/${stack.path}`, frameId, read)).attachments[index];
    if (!info) throw new AttachmentNotFoundError(`attachment ${indexText} not found in frame ${frameId}`);
    const blob = await store.getAttachment(`/${stack.path}`, frameId, index, read);
    return new Response(blob.stream(), {
      headers: {
        ...attachmentHeaders(info.contentType, downloadName(stack.path, index, info.contentType, info.settings)),
        "content-length": String(blob.size),
        // Not kept by browsers or proxies: a revoked link must not keep working from a cache.
        "cache-control": "private, no-store",
      },
    });
  });

  return app;
}
