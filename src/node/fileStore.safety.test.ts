// Nothing a caller passes can make the file store read or write outside its data folder: `..`, absolute paths,
// encoded slashes, odd frame and dashboard ids.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  AttachmentNotFoundError,
  DashboardNotFoundError,
  FrameNotFoundError,
  InvalidStackNameError,
} from "../model/errors";
import { createFileStore } from "./fileStore";
import { stackFolderName } from "./fileStoreFolders";
import { tempHomes } from "./testing/tempHome";

const newHome = tempHomes();
const part = { data: new TextEncoder().encode("x"), contentType: "text/plain" };

describe("file store paths", () => {
  it("refuses stack names that try to leave the folder", async () => {
    const home = newHome();
    const store = createFileStore({ home });
    const escapes = [
      "../../etc/passwd",
      "..",
      "a/../../b",
      "/../dstack/abc",
      "//etc/passwd",
      "abc/..%2F..%2Fx",
      "abc%2F..",
      "C:\\Windows\\x",
      "abc\u0000def",
      "a/./b",
    ];
    for (const name of escapes) {
      await expect(store.push({ stack: name, attachments: [part] }), name).rejects.toBeInstanceOf(
        InvalidStackNameError,
      );
      await expect(store.getStack(name), name).rejects.toBeInstanceOf(InvalidStackNameError);
      await expect(store.deleteStack(name), name).rejects.toBeInstanceOf(InvalidStackNameError);
    }
    await expect(store.listStacks("..")).rejects.toBeInstanceOf(InvalidStackNameError);
    await expect(store.listDashboards("../x")).rejects.toBeInstanceOf(InvalidStackNameError);
    // Nothing was written anywhere: not even the data folder exists yet.
    expect(existsSync(join(home, ".dstack"))).toBe(false);
    expect(readdirSync(home)).toEqual([]);
  });

  it("treats odd frame ids, indexes and dashboard ids as not found instead of paths", async () => {
    const store = createFileStore({ home: newHome() });
    const { frameId } = await store.push({ stack: "safe", attachments: [part] });
    for (const id of ["../..", "../../stack.json", "..%2F..", "", "a/b", `${frameId}/../${frameId}`]) {
      await expect(store.getFrame("safe", id), id).rejects.toBeInstanceOf(FrameNotFoundError);
      await expect(store.getAttachment("safe", id, 0), id).rejects.toBeInstanceOf(FrameNotFoundError);
      await expect(store.updateStack("safe", { head: id }), id).rejects.toBeInstanceOf(FrameNotFoundError);
    }
    for (const index of [-1, 1, 0.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(store.getAttachment("safe", frameId, index)).rejects.toBeInstanceOf(AttachmentNotFoundError);
    }
    for (const id of ["../../stacks/dstack/safe/stack", "..", "x/y", ""]) {
      await expect(store.getDashboard("dstack", id), id).rejects.toBeInstanceOf(DashboardNotFoundError);
      await expect(store.deleteDashboard("dstack", id), id).rejects.toBeInstanceOf(DashboardNotFoundError);
    }
    await expect(store.push({ stack: "safe", id: "../evil", attachments: [part] })).rejects.toThrow(/frame id/);
  });

  it("reads an absolute path as /user/name inside the folder: /etc/passwd is the stack passwd of user etc", async () => {
    const store = createFileStore({ home: newHome() });
    const result = await store.push({ stack: "/etc/passwd", attachments: [part] });
    expect(result.stack).toBe("etc/passwd");
    expect(existsSync(join(store.root, "stacks", "etc", stackFolderName("etc", "passwd"), "stack.json"))).toBe(true);
  });

  it("keeps a/b, a/b/c and a%2Fb-looking names in separate folders inside the data folder", async () => {
    const store = createFileStore({ home: newHome() });
    await store.push({ stack: "nest", attachments: [part] });
    await store.push({ stack: "nest/child", attachments: [part] });
    const folders = readdirSync(join(store.root, "stacks", "dstack")).sort();
    expect(folders).toEqual([stackFolderName("dstack", "nest"), stackFolderName("dstack", "nest/child")].sort());
  });
});
