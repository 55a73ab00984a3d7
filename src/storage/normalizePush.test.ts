import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { InvalidRequestError } from "../model/errors";
import { normalizePush } from "./normalizePush";

describe("normalizePush", () => {
  it("accepts bytes from another realm and refuses other typed arrays", async () => {
    const foreign = runInNewContext("new Uint8Array([1, 2, 3])") as Uint8Array;
    expect(foreign instanceof Uint8Array).toBe(false);
    const push = normalizePush({ stack: "realm", attachments: [{ data: foreign, contentType: "x/y" }] }, "u");
    expect(new Uint8Array(await push.attachments[0]!.blob.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
    expect(() =>
      normalizePush(
        { stack: "realm", attachments: [{ data: new Float64Array(1) as unknown as Uint8Array, contentType: "x/y" }] },
        "u",
      ),
    ).toThrow(InvalidRequestError);
  });
});
