// In Node, `import "dstack-kit/node"` makes createFrame / pushFrame / pull without { store } use the default
// profile of the config file (DSTACK_CONFIG, ./.dstack/config.yaml, ~/.dstack/config.yaml).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDefaultStore, registerDefaultStoreProvider, setDefaultStore } from "../client/defaultStore";
import { pushFrame } from "../client/frame";
import { pull } from "../client/pull";
import { writeProfile } from "./config";
import "./index";
import { tempHomes } from "./testing/tempHome";
import { setupTestServer } from "./testing/testServer";

const t = setupTestServer();
const newHome = tempHomes();
const savedHome = process.env.HOME;

beforeAll(() => {
  process.env.HOME = newHome();
});
afterAll(() => {
  process.env.HOME = savedHome;
  setDefaultStore(undefined);
  registerDefaultStoreProvider(undefined);
});

describe("Node default store", () => {
  it("explains how to configure one while ~/.dstack/config.yaml has no default profile", async () => {
    await expect(pull("anything")).rejects.toThrow(
      /no profile "default" in .*\.dstack\/config\.yaml: run `dstack config add/,
    );
  });

  it("is an HttpStore for the default profile once `dstack config add` wrote one", async () => {
    await writeProfile("default", { token: t.server.token, user: "dstack", server: t.server.apiUrl });
    const result = await pushFrame("from-node", { data: [{ type: "bar", x: [1], y: [2] }] }, "no store given");
    expect(result.stack).toBe("dstack/from-node");
    expect(await pull("from-node")).toEqual({ data: [{ type: "bar", x: [1], y: [2] }] });
    expect(getDefaultStore()).toMatchObject({ user: "dstack", server: t.server.apiUrl });
    // The server has it: the profile store is the real thing, not a local cache.
    expect((await t.server.store.getStack("from-node")).head?.attachments[0]?.description).toBe("no store given");
  });

  it("finds the config file as the CLI does: DSTACK_CONFIG before ~/.dstack/config.yaml", async () => {
    const file = join(newHome(), "elsewhere.yaml");
    const bob = t.server.addUser("bob");
    writeFileSync(file, `profiles:\n  default:\n    token: ${bob}\n    server: ${t.server.apiUrl}\n    user: bob\n`);
    process.env.DSTACK_CONFIG = file;
    try {
      setDefaultStore(undefined);
      await pushFrame("from-env", "# hi");
      expect((await t.server.store.getStack("/bob/from-env")).head?.attachments).toHaveLength(1);
    } finally {
      delete process.env.DSTACK_CONFIG;
      setDefaultStore(undefined);
    }
  });
});
