// Every stack name the rules accept can be stored, names differing only in case never share a folder (even on a
// case-insensitive file system), and folders written by older versions are still read.
import { cpSync, existsSync, readdirSync, renameSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { StackNotFoundError } from "../model/errors";
import { validateStackName } from "../model/stackPath";
import { createFileStore } from "./fileStore";
import { legacyStackFolderName, migrateLegacyStackFolders, stackFolderName } from "./fileStoreFolders";
import { tempHomes } from "./testing/tempHome";

const newHome = tempHomes("dstack-names-");
const text = (t: string) => ({ data: new TextEncoder().encode(t), contentType: "text/plain" });

/** 255 characters, 120 of them '/': the longest, deepest name the rules allow. */
const deepest = `${Array.from({ length: 120 }, (_, i) => String.fromCharCode(97 + (i % 26))).join("/")}/${"x".repeat(
  255 - 239 - 1,
)}`;

describe("stack folder names", () => {
  it("differ, ignoring case, for any two distinct names, and stay short and plain", () => {
    expect(validateStackName(deepest)).toBe(deepest);
    expect(deepest).toHaveLength(255);
    expect(deepest.split("/")).toHaveLength(121);
    const names = ["Plot", "plot", "PLOT", "pLoT", "a/b", "a-b", "a_b", "A/b", "abc", "abc/def", "abc/Def", deepest];
    names.push(deepest.toUpperCase(), `${deepest.slice(0, 254)}y`);
    const folders = new Set<string>();
    for (const user of ["dstack", "Dstack", "alice"]) {
      for (const name of names) {
        const folder = stackFolderName(user, name);
        expect(folder).toMatch(/^[a-z0-9_+-]{1,48}~[0-9a-f]{32}$/);
        folders.add(folder.toLowerCase());
      }
    }
    expect(folders.size).toBe(3 * names.length);
    // The same name always maps to the same folder.
    expect(stackFolderName("dstack", "Plot")).toBe(stackFolderName("dstack", "Plot"));
  });

  it("stores and reads back Plot and plot as two stacks", async () => {
    const store = createFileStore({ home: newHome(), fsync: false });
    await store.push({ stack: "Plot", attachments: [text("upper")] });
    await store.push({ stack: "plot", attachments: [text("lower")] });
    const read = async (name: string) => {
      const head = (await store.getStack(name)).head;
      return (await store.getAttachment(name, head?.id as string, 0)).text();
    };
    expect(await read("Plot")).toBe("upper");
    expect(await read("plot")).toBe("lower");
    expect((await store.listStacks()).map((s) => s.name).sort()).toEqual(["Plot", "plot"]);
    await store.deleteStack("Plot");
    await expect(store.getStack("Plot")).rejects.toBeInstanceOf(StackNotFoundError);
    expect(await read("plot")).toBe("lower");
  });

  it("stores a 255-character name with 120 '/' (push, read, list, update, delete)", async () => {
    const store = createFileStore({ home: newHome(), fsync: false });
    const pushed = await store.push({ stack: deepest, attachments: [text("deep")] });
    expect(pushed.stack).toBe(`dstack/${deepest}`);
    const stack = await store.getStack(deepest);
    expect(stack.name).toBe(deepest);
    expect(await (await store.getAttachment(deepest, stack.head?.id as string, 0)).text()).toBe("deep");
    expect((await store.listStacks()).map((s) => s.name)).toEqual([deepest]);
    await store.updateStack(deepest, { private: true });
    expect((await store.getStack(deepest)).private).toBe(true);
    await store.deleteStack(deepest);
    expect(await store.listStacks()).toEqual([]);
  });

  it("keeps names that are prefixes of each other apart: abc, abc/def, abc/def/ghi", async () => {
    const store = createFileStore({ home: newHome(), fsync: false });
    for (const name of ["abc/def/ghi", "abc", "abc/def"]) await store.push({ stack: name, attachments: [text(name)] });
    for (const name of ["abc", "abc/def", "abc/def/ghi"]) {
      const head = (await store.getStack(name)).head;
      expect(await (await store.getAttachment(name, head?.id as string, 0)).text()).toBe(name);
    }
    await store.deleteStack("abc");
    expect((await store.listStacks()).map((s) => s.name).sort()).toEqual(["abc/def", "abc/def/ghi"]);
  });
});

describe("folders written by older versions", () => {
  /** A data folder laid out as before: stacks/<user>/<name with '/' as %2F>/ (the files inside are unchanged). */
  async function legacyHome(stacks: Array<[user: string, name: string]>): Promise<string> {
    const writer = createFileStore({ home: newHome(), fsync: false });
    for (const [user, name] of stacks) {
      await writer.forUser(user).push({ stack: name, attachments: [text(`${user}/${name}`)] });
    }
    const home = newHome();
    cpSync(join(writer.root, "stacks"), join(home, ".dstack", "data", "stacks"), { recursive: true });
    for (const [user, name] of stacks) {
      const dir = join(home, ".dstack", "data", "stacks", user);
      renameSync(join(dir, stackFolderName(user, name)), join(dir, legacyStackFolderName(name)));
    }
    return home;
  }

  it("are read, listed and written after the store renames them on open", async () => {
    const home = await legacyHome([
      ["dstack", "reports/sales"],
      ["dstack", "Plot"],
      ["dstack", "plot"],
      ["alice", "notes"],
    ]);
    const userDir = join(home, ".dstack", "data", "stacks", "dstack");
    expect(readdirSync(userDir).sort()).toEqual(["Plot", "plot", "reports%2Fsales"]);
    const store = createFileStore({ home, fsync: false });
    expect((await store.listStacks()).map((s) => s.name).sort()).toEqual(["Plot", "plot", "reports/sales"]);
    for (const name of ["reports/sales", "Plot", "plot", "/alice/notes"]) {
      const stack = await store.getStack(name);
      const expected = name.startsWith("/") ? name.slice(1) : `dstack/${name}`;
      expect(await (await store.getAttachment(name, stack.head?.id as string, 0)).text()).toBe(expected);
    }
    expect(readdirSync(userDir).sort()).toEqual(
      ["reports/sales", "Plot", "plot"].map((n) => stackFolderName("dstack", n)).sort(),
    );
    await store.push({ stack: "reports/sales", attachments: [text("second")] });
    expect((await store.getStack("reports/sales")).frames).toHaveLength(2);
  });

  it("are renamed once when several processes open the folder at the same moment", async () => {
    const home = await legacyHome([
      ["dstack", "a/b"],
      ["dstack", "ccc"],
    ]);
    const stacks = join(home, ".dstack", "data", "stacks");
    const moved = await Promise.all([1, 2, 3].map(() => migrateLegacyStackFolders(stacks)));
    expect(moved.reduce((a, b) => a + b, 0)).toBe(2);
    expect(readdirSync(join(stacks, "dstack")).sort()).toEqual(
      [stackFolderName("dstack", "a/b"), stackFolderName("dstack", "ccc")].sort(),
    );
  });

  it("leave alone what is not an old stack folder, and an old folder whose new one exists", async () => {
    const home = await legacyHome([["dstack", "kept"]]);
    const dir = join(home, ".dstack", "data", "stacks", "dstack");
    // A stack both ways (an older version ran again after the rename): the new folder is the stack.
    const newer = createFileStore({ home: newHome(), fsync: false });
    await newer.push({ stack: "kept", attachments: [text("new")] });
    cpSync(
      join(newer.root, "stacks", "dstack", stackFolderName("dstack", "kept")),
      join(dir, stackFolderName("dstack", "kept")),
      {
        recursive: true,
      },
    );
    cpSync(join(dir, stackFolderName("dstack", "kept")), join(dir, "..%2Fodd"), { recursive: true });
    const store = createFileStore({ home, fsync: false });
    const head = (await store.getStack("kept")).head;
    expect(await (await store.getAttachment("kept", head?.id as string, 0)).text()).toBe("new");
    expect((await store.listStacks()).map((s) => s.name)).toEqual(["kept"]);
    expect(existsSync(join(dir, "kept"))).toBe(true);
    expect(existsSync(join(dir, "..%2Fodd"))).toBe(true);
  });
});
