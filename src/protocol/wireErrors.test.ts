import { describe, expect, it } from "vitest";
import {
  AttachmentNotFoundError,
  BadCredentialsError,
  CardNotFoundError,
  DashboardNotFoundError,
  type DstackError,
  ForbiddenError,
  FrameNotFoundError,
  InvalidRequestError,
  InvalidStackNameError,
  MalformedAttachmentError,
  PayloadTooLargeError,
  StackNotFoundError,
} from "../model/errors";
import { fromWireError, toWireError } from "./wireErrors";

const errors: DstackError[] = [
  new StackNotFoundError("u/abc"),
  new FrameNotFoundError("u/abc", "f1"),
  new AttachmentNotFoundError("attachment 3 not found in frame f1 of u/abc (it has 2)"),
  new DashboardNotFoundError("u", "d1"),
  new CardNotFoundError("d1", "u/abc"),
  new BadCredentialsError(),
  new ForbiddenError("only u can change u/abc"),
  new InvalidStackNameError('a"b//c', "a stack name may not contain '//'"),
  new InvalidRequestError("malformed request: id must be a string"),
  new MalformedAttachmentError("attachment 0 is not valid JSON"),
  new PayloadTooLargeError(1024),
];

describe("wire errors", () => {
  it("round-trip every typed error through status + {message, code}", () => {
    for (const error of errors) {
      const { status, body } = toWireError(error);
      expect(status).toBe(error.status);
      const back = fromWireError(status, JSON.parse(JSON.stringify(body)), { path: "u/abc", frameId: "f1" });
      expect(back.constructor, error.name).toBe(error.constructor);
      expect(back.message).toBe(error.message);
      expect(back.code).toBe(error.code);
    }
    const name = fromWireError(400, toWireError(errors[7]).body) as InvalidStackNameError;
    expect(name.stackName).toBe('a"b//c');
    expect(name.rule).toBe("a stack name may not contain '//'");
  });

  it("reads the bare messages a 2020 server sends (no code)", () => {
    const ctx = { path: "u/abc", frameId: "f1", user: "u", dashboard: "d1", card: "u/abc" };
    expect(fromWireError(404, { message: "stack not found" }, ctx)).toBeInstanceOf(StackNotFoundError);
    expect(fromWireError(404, { message: "frame not found" }, ctx)).toMatchObject({ path: "u/abc", frameId: "f1" });
    expect(fromWireError(404, { message: "attachment not found" }, ctx)).toBeInstanceOf(AttachmentNotFoundError);
    expect(fromWireError(404, { message: "dashboard not found" }, ctx)).toBeInstanceOf(DashboardNotFoundError);
    expect(fromWireError(404, { message: "card not found" }, ctx)).toBeInstanceOf(CardNotFoundError);
    expect(fromWireError(403, { message: "bad credentials" }, ctx)).toBeInstanceOf(BadCredentialsError);
    expect(fromWireError(400, { message: "attachment already exists" }, ctx)).toBeInstanceOf(InvalidRequestError);
    expect(fromWireError(502, "<html>bad gateway</html>")).toMatchObject({ status: 502, message: "HTTP 502" });
    expect(fromWireError(418, {})).toMatchObject({ status: 418, code: "http_error" });
  });

  it("hides the details of unexpected errors behind a bare 500", () => {
    expect(toWireError(new Error("secret path /etc/x"))).toEqual({
      status: 500,
      body: { message: "internal server error", code: "internal" },
    });
  });
});
