// Without plotly.js-basic-dist (an optional peer) a figure shows what to install and a download of its JSON.
import { screen, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { createMemoryStore } from "../../storage/memoryStore";
import { StackView } from "../stackView/StackView";
import { pushSingle } from "../testing/fixtures";
import { renderWithStore } from "../testing/renderWithStore";

// What Vite's production build and a webpack `false` alias hand the kit for a peer that is not installed.
vi.mock("plotly.js-basic-dist", () => ({ default: {} }));

describe("plotly renderer without plotly.js-basic-dist", () => {
  it("says what to install and offers the figure JSON instead of a blank chart or a Retry", async () => {
    const store = createMemoryStore();
    await pushSingle(store, "scatter", { data: [{ type: "scatter", x: [1, 2], y: [3, 4] }] });
    renderWithStore(<StackView stack="scatter" />, { store });
    const note = await screen.findByRole("note");
    expect(note.textContent).toContain("npm install plotly.js-basic-dist");
    expect(note.textContent).toContain("<DstackProvider plotly={...}>");
    expect(within(note).getByRole("button").textContent).toContain("Download figure JSON");
    expect(screen.queryByRole("button", { name: /retry/i })).toBeNull();
    expect(document.querySelector(".dk-plot")).toBeNull();
  });
});
