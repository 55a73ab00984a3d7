import { describe, expect, it } from "vitest";
import type { Dashboard, StackInfo } from "../model/types";
import {
  fromWireDashboard,
  fromWireStack,
  fromWireStackSummary,
  legacyMediaType,
  toWireDashboard,
  toWireStack,
  toWireStackSummary,
} from "./wire";

const stack: StackInfo = {
  user: "u",
  name: "a/b",
  path: "u/a/b",
  private: true,
  readme: "# hi",
  head: {
    id: "f2",
    timestamp: 2,
    message: "second",
    params: { run: 1 },
    attachments: [
      {
        index: 0,
        contentType: "text/csv",
        application: "pandas/dataframe",
        params: { x: 1 },
        settings: { index: true },
        length: 10,
      },
      { index: 1, contentType: "text/plain", params: {}, length: 0, description: "d" },
    ],
  },
  frames: [
    { id: "f2", timestamp: 2, message: "second" },
    { id: "f1", timestamp: 1 },
  ],
  frameCount: 2,
};

describe("wire mapping", () => {
  it("writes snake_case and reads it back to the same model", () => {
    const wire = toWireStack(stack, ["bob"]);
    expect(wire.head?.attachments[0]).toEqual({
      index: 0,
      content_type: "text/csv",
      application: "pandas/dataframe",
      params: { x: 1 },
      settings: { index: true },
      length: 10,
    });
    expect(wire.permissions).toEqual([{ user: "bob" }]);
    expect(JSON.stringify(wire)).not.toMatch(/contentType|undefined/);
    expect(fromWireStack(JSON.parse(JSON.stringify(wire)))).toEqual(stack);
    const summary = { user: "u", name: "a/b", path: "u/a/b", private: false, head: { id: "f", timestamp: 3 } };
    expect(fromWireStackSummary(toWireStackSummary(summary))).toEqual(summary);
  });

  it("reads what older servers leave out (no params, null fields, missing lists) as model defaults", () => {
    const read = fromWireStack({
      user: "u",
      name: "abc",
      private: false,
      head: {
        id: "f",
        timestamp: 1,
        attachments: [{ index: 0, content_type: "image/png", length: 3, description: null }],
      },
    } as never);
    expect(read).toEqual({
      user: "u",
      name: "abc",
      path: "u/abc",
      private: false,
      head: {
        id: "f",
        timestamp: 1,
        params: {},
        attachments: [{ index: 0, contentType: "image/png", params: {}, length: 3 }],
      },
      frames: [],
      frameCount: 0,
    });
  });

  it("adds frame_count only to paged answers, so unpaged ones keep the 2020 shape", () => {
    const page = { ...stack, frames: stack.frames.slice(0, 1), frameCount: 7 };
    expect(Object.keys(toWireStack(stack))).toEqual(["user", "name", "private", "head", "frames", "readme"]);
    const paged = toWireStack(page, undefined, true);
    expect(paged.frame_count).toBe(7);
    expect(fromWireStack(JSON.parse(JSON.stringify(paged)))).toEqual(page);
    // Without a count (an older server), every frame was sent: the count is the list's length.
    expect(fromWireStack({ ...toWireStack(page), frames: [] }).frameCount).toBe(0);
  });

  it("maps dashboards and their cards, leaving out absent card fields", () => {
    const dashboard: Dashboard = {
      id: "d",
      user: "u",
      title: "T",
      description: "",
      private: false,
      cards: [
        { stack: "u/abc", columns: 2 },
        { stack: "u/def", title: "t", description: "x", columns: 1 },
      ],
    };
    expect(fromWireDashboard(JSON.parse(JSON.stringify(toWireDashboard(dashboard))))).toEqual(dashboard);
    expect(fromWireDashboard({ id: "d", user: "u", cards: [{ stack: "u/abc" }] } as never)).toEqual({
      id: "d",
      user: "u",
      title: "",
      description: "",
      private: false,
      cards: [{ stack: "u/abc", columns: 1 }],
    });
  });

  it("reads legacy `type` values as content type and application", () => {
    expect(legacyMediaType("image/png")).toEqual({ contentType: "image/png", application: "image" });
    expect(legacyMediaType("image/svg")).toEqual({ contentType: "image/svg+xml", application: "image" });
    expect(legacyMediaType("plotly")).toEqual({ contentType: "application/json", application: "plotly" });
    expect(legacyMediaType("Bokeh")).toEqual({ contentType: "application/json", application: "bokeh" });
    expect(legacyMediaType("pandas/dataframe")).toEqual({ contentType: "text/csv", application: "pandas/dataframe" });
    expect(legacyMediaType("text/markdown")).toEqual({ contentType: "text/markdown" });
    expect(legacyMediaType("sklearn")).toEqual({ contentType: "application/octet-stream", application: "sklearn" });
  });
});
