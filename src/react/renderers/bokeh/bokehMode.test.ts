import { describe, expect, it } from "vitest";
import type { BokehLike } from "../externalLibraries";
import { chooseBokehMode } from "./bokehMode";

const inPage: BokehLike = { embed: { embed_item: () => undefined } };
const scripts = { scripts: ["https://cdn.example/bokeh.min.js"] };

describe("chooseBokehMode", () => {
  it("draws in a sandboxed frame from script URLs, whatever BokehJS the page has", () => {
    expect(chooseBokehMode(scripts, false, undefined)).toEqual({
      kind: "frame",
      scripts: scripts.scripts,
      nonce: undefined,
    });
    expect(chooseBokehMode({ ...scripts, nonce: "abc" }, false, inPage)).toMatchObject({ kind: "frame", nonce: "abc" });
  });

  it("uses the page's BokehJS only when the content is trusted", () => {
    expect(chooseBokehMode(inPage, true, undefined)).toEqual({ kind: "page", bokeh: inPage });
    expect(chooseBokehMode(undefined, true, inPage)).toEqual({ kind: "page", bokeh: inPage });
    expect(chooseBokehMode(scripts, true, inPage)).toEqual({ kind: "page", bokeh: inPage });
    expect(chooseBokehMode(scripts, true, undefined)).toMatchObject({ kind: "frame" });
  });

  it("draws nothing otherwise, and says when it refused the page's BokehJS", () => {
    expect(chooseBokehMode(inPage, false, undefined)).toEqual({ kind: "none", inPageRefused: true });
    expect(chooseBokehMode(undefined, false, inPage)).toEqual({ kind: "none", inPageRefused: true });
    expect(chooseBokehMode(undefined, false, undefined)).toEqual({ kind: "none", inPageRefused: false });
    expect(chooseBokehMode(undefined, true, { embed: {} })).toEqual({ kind: "none", inPageRefused: false });
    expect(chooseBokehMode({ scripts: [] }, false, undefined)).toEqual({ kind: "none", inPageRefused: false });
  });
});
