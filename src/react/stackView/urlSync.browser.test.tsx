// urlSync in a real browser history: values restored from the query string on load, each change a history entry,
// back and forward restore the widgets, and the host's own query parameters survive.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pushCarsExplorer } from "../../../stories/seed/showcase";
import { createMemoryStore } from "../../storage/memoryStore";
import { renderInBrowser, waitFor } from "../testing/renderInBrowser";
import { StackView } from "./StackView";

const start = window.location.href;
const popped = () => new Promise((resolve) => window.addEventListener("popstate", resolve, { once: true }));

beforeEach(() => {
  window.history.replaceState(null, "", `${window.location.pathname}?page=report`);
});
afterEach(() => {
  window.history.replaceState(null, "", start);
});

describe("urlSync (Chromium)", () => {
  it("restores from the URL, pushes history entries, and follows back and forward", async () => {
    window.history.replaceState(null, "", `${window.location.pathname}?page=report&Origin=Japan&Cylinders=6`);
    const store = createMemoryStore();
    await pushCarsExplorer(store);
    const changes: unknown[] = [];
    const screen = await renderInBrowser(
      <StackView stack="cars/explorer" urlSync onParamsChange={(p) => changes.push(p)} />,
      store,
    );
    const origin = screen.getByLabelText("Origin", { exact: true });
    const cylinders = screen.getByRole("slider", { name: "Cylinders" });
    await expect.element(origin).toHaveValue("2");
    await expect.element(cylinders).toHaveAttribute("aria-valuetext", "6");
    await expect.element(screen.getByText("Japan, 6 cylinders (6 cars)").first()).toBeVisible();
    const depth = window.history.length;

    await origin.selectOptions("USA");
    await waitFor(() => new URLSearchParams(window.location.search).get("Origin") === "USA", 5_000, "the URL");
    expect(window.history.length).toBe(depth + 1);
    expect(new URLSearchParams(window.location.search).get("page")).toBe("report");

    await screen.getByRole("tab", { name: "Data" }).click();
    await waitFor(
      () => new URLSearchParams(window.location.search).get("tab") === "Table",
      5_000,
      "the tab in the URL",
    );

    let back = popped();
    window.history.back();
    await back;
    await expect.element(screen.getByRole("tab", { name: "Plot" })).toHaveAttribute("aria-selected", "true");
    back = popped();
    window.history.back();
    await back;
    await expect.element(origin).toHaveValue("2");
    await expect.element(cylinders).toHaveAttribute("aria-valuetext", "6");

    const forward = popped();
    window.history.forward();
    await forward;
    await expect.element(origin).toHaveValue("0");
    expect(changes.at(-1)).toMatchObject({ Origin: "USA", Cylinders: 6 });
  });

  it("namespaces keys with a prefix so two views share one URL", async () => {
    const store = createMemoryStore();
    await pushCarsExplorer(store);
    const screen = await renderInBrowser(
      <>
        <StackView stack="cars/explorer" urlSync={{ prefix: "a." }} />
        <StackView stack="cars/explorer" urlSync={{ prefix: "b." }} />
      </>,
      store,
    );
    await screen.getByLabelText("Origin", { exact: true }).first().selectOptions("Europe");
    await waitFor(() => new URLSearchParams(window.location.search).get("a.Origin") === "Europe", 5_000, "a.Origin");
    expect(new URLSearchParams(window.location.search).get("b.Origin")).toBeNull();
    await expect.element(screen.getByLabelText("Origin", { exact: true }).nth(1)).toHaveValue("0");
  });
});
