import { describe, expect, it } from "vitest";
import { BOKEH_HEIGHT_MESSAGE, MAX_FRAME_HEIGHT, readFrameHeight } from "./frameHeight";

describe("readFrameHeight", () => {
  it("takes a finite height, rounded up and clamped", () => {
    expect(readFrameHeight({ type: BOKEH_HEIGHT_MESSAGE, height: 431.2 })).toBe(432);
    expect(readFrameHeight({ type: BOKEH_HEIGHT_MESSAGE, height: -5 })).toBe(0);
    expect(readFrameHeight({ type: BOKEH_HEIGHT_MESSAGE, height: 1e12 })).toBe(MAX_FRAME_HEIGHT);
  });

  it("ignores anything else a frame's content may post", () => {
    for (const data of [
      null,
      undefined,
      432,
      "432",
      { type: BOKEH_HEIGHT_MESSAGE },
      { type: BOKEH_HEIGHT_MESSAGE, height: "432" },
      { type: BOKEH_HEIGHT_MESSAGE, height: Number.NaN },
      { type: BOKEH_HEIGHT_MESSAGE, height: Number.POSITIVE_INFINITY },
      { type: "other", height: 432 },
      [BOKEH_HEIGHT_MESSAGE, 432],
    ]) {
      expect(readFrameHeight(data)).toBeUndefined();
    }
  });
});
