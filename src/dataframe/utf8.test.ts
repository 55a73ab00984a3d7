import { describe, expect, it } from "vitest";
import { parseTableSync } from "./parseTable";
import { seededRandom } from "./testing/tables";
import { encodeUtf8 } from "./utf8";

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
