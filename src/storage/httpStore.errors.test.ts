// HttpStore turns the server's status + message into the kit's typed errors.
import { describe, expect, it } from "vitest";
import {
  BadCredentialsError,
  DashboardNotFoundError,
  DstackError,
  ForbiddenError,
  FrameNotFoundError,
  InvalidRequestError,
  PayloadTooLargeError,
  StackNotFoundError,
} from "../model/errors";
import { setupTestServer } from "../node/testing/testServer";
import { createHttpStore } from "./httpStore";

const t = setupTestServer({ maxBodyBytes: 50_000, maxAttachmentBytes: 100_000 });
const part = (n = 1) => ({ data: new Uint8Array(n).fill(65), contentType: "text/plain" });

describe("HttpStore typed errors", () => {
  it("403 bad credentials → BadCredentialsError; 403 for another user's stack → ForbiddenError", async () => {
    const owner = t.store("owner");
    await owner.push({ stack: "mine", attachments: [part()] });
    const wrong = createHttpStore({ server: t.server.apiUrl, user: "owner", token: "not-the-token" });
    const error = await wrong.getStack("mine").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadCredentialsError);
    expect(error).toMatchObject({ status: 403, message: "bad credentials", code: "bad_credentials" });
    const intruder = t.store("intruder");
    await expect(intruder.push({ stack: "/owner/mine", attachments: [part()] })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(intruder.updateStack("/owner/mine", { readme: "x" })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(intruder.deleteStack("/owner/mine")).rejects.toThrow(/only owner can change owner\/mine/);
  });

  it("404s name what is missing; 400s are InvalidRequestError; 413 is PayloadTooLargeError", async () => {
    const store = t.store("errors");
    const stackError = (await store.getStack("nothing").catch((e: unknown) => e)) as StackNotFoundError;
    expect(stackError).toBeInstanceOf(StackNotFoundError);
    expect(stackError.path).toBe("errors/nothing");
    const { frameId } = await store.push({ stack: "something", attachments: [part()] });
    const frameError = (await store.getFrame("something", "f-404").catch((e: unknown) => e)) as FrameNotFoundError;
    expect(frameError).toBeInstanceOf(FrameNotFoundError);
    expect(frameError).toMatchObject({ path: "errors/something", frameId: "f-404" });
    await expect(store.getDashboard("errors", "d-404")).rejects.toBeInstanceOf(DashboardNotFoundError);
    await expect(store.push({ stack: "something", id: frameId, attachments: [part(2)] })).rejects.toBeInstanceOf(
      InvalidRequestError,
    );
    const tooLarge = await store.push({ stack: "big", attachments: [part(150_000)] }).catch((e: unknown) => e);
    expect(tooLarge).toBeInstanceOf(PayloadTooLargeError);
    expect(tooLarge).toBeInstanceOf(DstackError);
    expect(tooLarge).toMatchObject({ status: 413, message: "attachment 0 is larger than the limit of 100000 bytes" });
    await expect(store.getStack("big")).rejects.toBeInstanceOf(StackNotFoundError);
  });

  it("sends by upload URL what a server with a lower body limit refuses inline (413), and stores it once", async () => {
    const store = t.store("fallback");
    const progress: number[] = [];
    const { frameId } = await store.push(
      { stack: "big", attachments: [part(60_000), part(10)] },
      { onProgress: (done) => progress.push(done) },
    );
    expect(progress).toEqual([1, 2]);
    expect((await store.getAttachment("big", frameId, 0)).size).toBe(60_000);
    expect((await store.getStack("big")).frames).toHaveLength(1);
  });
});
