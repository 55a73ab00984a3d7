import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidRequestError } from "../model/errors";
import { fileAttachment } from "./fileAttachment";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "dstack-file-attachment-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function file(name: string, bytes: string | Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

describe("fileAttachment (CSV)", () => {
  it("describes a CSV as a pandas dataframe with the schema inferred from its bytes, which stay as they are", async () => {
    const text = 'n,x,ok,when,label\n1,1.5,true,2020-01-02,"a, b"\n2,,false,2020-01-03,c\n';
    const attachment = await fileAttachment(await file("t.csv", text), "desc", { k: 1 });
    expect(attachment).toMatchObject({
      contentType: "text/csv",
      application: "pandas/dataframe",
      description: "desc",
      params: { k: 1 },
      settings: { header: true, index: false, schema: ["int64", "float64", "bool", "datetime64[ns]", "object"] },
    });
    expect(new TextDecoder().decode(attachment.data as Uint8Array)).toBe(text);
  });

  it("refuses malformed CSV and invalid UTF-8 with the file name and position", async () => {
    await expect(fileAttachment(await file("bad.csv", 'a,b\n1,"open\n'))).rejects.toThrow(
      /bad\.csv: .*line 2, column 3/,
    );
    const latin1 = Uint8Array.of(0x61, 0x0a, 0x63, 0x61, 0x66, 0xe9, 0x0a);
    const error = await fileAttachment(await file("latin1.csv", latin1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as Error).message).toMatch(/latin1\.csv: .*line 2/);
  });
});
