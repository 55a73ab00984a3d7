import { describe, expect, it } from "vitest";
import { AbortError } from "../model/errors";
import { yieldToEventLoop } from "./packedTable";
import { parseTableSync, readInput } from "./parseTable";
import { seededRandom } from "./testing/tables";
import { encodeUtf8, encodeUtf8InPieces } from "./utf8";

const reference = (text: string) => new TextEncoder().encode(text);

describe("encodeUtf8", () => {
  it("gives TextEncoder's bytes for ASCII, for text that does not fit one byte per unit, and for lone surrogates", () => {
    const texts = [
      "",
      "a,b\n1,x\n",
      "é",
      "é,b\n1,x\n",
      "a,b\n1,x\n2,naïve\n",
      "a,b\n1,x\n2,y€",
      "a\n😀",
      "😀😀,x",
      "x\ud800y",
      "tail\udc00",
      "\ud83d",
    ];
    for (const text of texts) expect(encodeUtf8(text), JSON.stringify(text)).toEqual(reference(text));
  });

  it("agrees with TextEncoder on random text mixing 1- to 4-byte characters", () => {
    const random = seededRandom(7);
    const alphabet = ["a", ",", "\n", '"', "é", "ß", "€", "中", "😀", "\ud800", "\udfff"];
    for (let k = 0; k < 300; k++) {
      let text = "";
      const ascii = Math.floor(random() * 40);
      for (let i = 0; i < ascii; i++) text += "abc,\n"[Math.floor(random() * 5)];
      const rest = Math.floor(random() * 20);
      for (let i = 0; i < rest; i++) text += alphabet[Math.floor(random() * alphabet.length)];
      expect(encodeUtf8(text)).toEqual(reference(text));
    }
  });

  it("is what a string input is parsed from: non-ASCII after an ASCII start reads as its bytes do", () => {
    const text = `name,n\n${"plain,1\n".repeat(50)}naïve 😀,2\n`;
    const fromString = parseTableSync(text);
    expect(fromString).toEqual(parseTableSync(reference(text)));
    expect(fromString.rowCount).toBe(51);
  });
});

describe("encodeUtf8InPieces", () => {
  it("gives TextEncoder's bytes whatever the pieces cut, pausing between pieces only", async () => {
    const random = seededRandom(11);
    const alphabet = ["a", ",", "\n", "é", "€", "😀", "\ud800", "\udfff"];
    for (let k = 0; k < 200; k++) {
      let text = "";
      const length = Math.floor(random() * 60);
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
      const units = 1 + Math.floor(random() * 7);
      let pauses = 0;
      const bytes = await encodeUtf8InPieces(text, units, async () => {
        pauses++;
      });
      expect(bytes, JSON.stringify(text)).toEqual(reference(text));
      // A piece ending in the first half of a pair takes the second half too, so there may be fewer pieces.
      expect(pauses).toBeLessThanOrEqual(Math.max(0, Math.ceil(text.length / units) - 1));
      if (text.length > 0) expect(pauses).toBeGreaterThanOrEqual(Math.ceil(text.length / (units + 1)) - 1);
    }
  });

  it("keeps a surrogate pair whole where a piece ends between its halves", async () => {
    for (const text of ["a😀b", "😀😀😀", "\ud800😀", "\ud800\ud800\udfff", "😀\udc00"]) {
      for (const units of [1, 2, 3])
        expect(await encodeUtf8InPieces(text, units, async () => {})).toEqual(reference(text));
    }
  });
});

describe("readInput of a long string", () => {
  it("encodes it over several tasks, so the page can run in between", async () => {
    const text = `a,b\n${"1,naïve\n".repeat(1_300_000)}`; // over 4 Mi units: three pieces
    let turns = 0;
    let done = false;
    const spinning = (async () => {
      while (!done) {
        await yieldToEventLoop();
        turns++;
      }
    })();
    const bytes = await readInput(text);
    done = true;
    await spinning;
    expect(turns).toBeGreaterThanOrEqual(2);
    // Compared as one string each: a deep equality of 11 million elements takes minutes.
    expect(bytes.length).toBe(reference(text).length);
    expect(new TextDecoder().decode(bytes) === text).toBe(true);
  });

  it("stops between pieces once its signal is aborted", async () => {
    const text = "a,b\n1,x\n".repeat(1_000_000); // 8 million units: two pieces
    const controller = new AbortController();
    const reading = readInput(text, controller.signal);
    controller.abort();
    await expect(reading).rejects.toBeInstanceOf(AbortError);
    // Not aborted: the same text reads to its end.
    expect((await readInput(text, new AbortController().signal)).length).toBe(text.length);
  });
});
