import { describe, expect, it } from "vitest";
import { decodeAscii, INPUT_TEXT_MAX, InputText } from "./inputText";

const bytesOf = (...values: number[]) => new Uint8Array(values);

describe("InputText", () => {
  it("is the input's text when every byte is ASCII", () => {
    expect(new InputText(new TextEncoder().encode('a,b\n1,"x ""y"""\n')).get()).toBe('a,b\n1,"x ""y"""\n');
    expect(new InputText(new Uint8Array(0)).get()).toBe("");
  });

  it("is null for multi-byte text, a BOM, invalid bytes, or an input over the size limit", () => {
    expect(new InputText(new TextEncoder().encode("a\né\n")).get()).toBeNull();
    expect(new InputText(bytesOf(0xef, 0xbb, 0xbf, 0x61)).get()).toBeNull();
    // One invalid byte decodes to one U+FFFD: the same length as the input, so the length alone would pass it.
    expect(new InputText(bytesOf(0x61, 0xff, 0x62)).get()).toBeNull();
    expect(new InputText(bytesOf(0x61, 0x80)).get()).toBeNull();
    expect(new InputText(new Uint8Array(INPUT_TEXT_MAX + 1).fill(0x61)).get()).toBeNull();
    expect(new InputText(new Uint8Array(INPUT_TEXT_MAX).fill(0x61)).get()?.length).toBe(INPUT_TEXT_MAX);
  });

  it("is the string the bytes were encoded from, when it is ASCII, without decoding them", () => {
    const text = "a,b\n1,x\n";
    const bytes = new TextEncoder().encode(text);
    // Bytes that would decode to something else: the string given is what is used.
    const other = new Uint8Array(bytes.length).fill(0x7a);
    expect(new InputText(other, text).get()).toBe(text);
    for (const nonAscii of ["a,é\n", "\uFEFFa\n", "a\uD800\n"]) {
      expect(new InputText(new TextEncoder().encode(nonAscii), nonAscii).get()).toBeNull();
    }
  });

  it("gives the same answers through Node's Buffer (used here) and through TextDecoder (browsers)", () => {
    const inputs = [
      new TextEncoder().encode("a,b\n1,x\n"),
      new Uint8Array(0),
      new TextEncoder().encode("a\né\n"),
      bytesOf(0xef, 0xbb, 0xbf, 0x61),
      bytesOf(0x61, 0xff, 0x62),
      bytesOf(0x61, 0x80),
      bytesOf(0x7f, 0x00, 0x41),
      // A view into a larger buffer: only its own bytes count.
      new TextEncoder().encode("é,a,b\n1,x\né").subarray(2, 11),
    ];
    expect(new InputText(inputs[7] as Uint8Array).get()).toBe(",a,b\n1,x\n");
    for (const bytes of inputs) expect(new InputText(bytes).get()).toBe(decodeAscii(bytes));
    expect(inputs.map((bytes) => decodeAscii(bytes) === null)).toEqual([
      false,
      false,
      true,
      true,
      true,
      true,
      false,
      false,
    ]);
  });
});
