// The file store keeps metadata texts it read, but never serves one that changed on disk, whoever changed it.
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createFileStore } from "./fileStore";
import { stackFolderName } from "./fileStoreFolders";
import { tempHomes } from "./testing/tempHome";

const newHome = tempHomes();

describe("file store metadata cache", () => {
  it("sees changes another process made, by rename or in place", async () => {
    const store = createFileStore({ home: newHome(), fsync: false });
    await store.push({ stack: "cached", attachments: [{ data: new Uint8Array(1), contentType: "x/y" }] });
    expect((await store.getStack("cached")).readme).toBeUndefined();
    const file = join(store.root, "stacks", "dstack", stackFolderName("dstack", "cached"), "stack.json");
    const edit = (readme: string) => JSON.stringify({ ...JSON.parse(readFileSync(file, "utf8")), readme });
    // Another writer's temp file + rename: a new inode.
    writeFileSync(`${file}.other`, edit("by rename"));
    renameSync(`${file}.other`, file);
    expect((await store.getStack("cached")).readme).toBe("by rename");
    // Rewritten in place: same inode, another size.
    writeFileSync(file, edit("in place, longer"));
    expect((await store.getStack("cached")).readme).toBe("in place, longer");
    // And its own writes, of course.
    await store.updateStack("cached", { readme: "own" });
    expect((await store.getStack("cached")).readme).toBe("own");
  });

  it("hands out a fresh object on every read", async () => {
    const store = createFileStore({ home: newHome(), fsync: false });
    await store.push({
      stack: "fresh",
      attachments: [{ data: new Uint8Array(1), contentType: "x/y", params: { a: 1 } }],
    });
    const first = await store.getStack("fresh");
    (first.head?.attachments[0]?.params as Record<string, unknown>).a = 2;
    first.frames.pop();
    const again = await store.getStack("fresh");
    expect(again.head?.attachments[0]?.params).toEqual({ a: 1 });
    expect(again.frames).toHaveLength(1);
  });
});
