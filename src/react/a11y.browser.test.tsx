// axe-core in Chromium over every kind of StackView content, in light and dark, plus the 320 px layout check.
import axe from "axe-core";
import type { ReactNode } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { page } from "vitest/browser";
import { showcaseStore } from "../../stories/seed/showcase";
import type { StackStore } from "../model/stackStore";
import { StackView } from "./index";
import { renderInBrowser, waitFor } from "./testing/renderInBrowser";

async function violations(root: Element): Promise<string[]> {
  const result = await axe.run(root, { resultTypes: ["violations"] });
  return result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(" ")).join("\n  ")}`,
  );
}

/** Waits until no skeleton is left, plots have drawn and markdown is parsed, so axe sees the finished page. */
async function settled(): Promise<void> {
  await waitFor(
    () =>
      document.querySelectorAll(".dk-skeleton").length === 0 &&
      document.querySelectorAll('.dk-plot[data-state="drawing"]').length === 0 &&
      document.querySelectorAll(".dk-markdown__source").length === 0,
    60_000,
    "every attachment to render",
  );
}

let store: StackStore;
const show = async (ui: ReactNode) => {
  store ??= await showcaseStore();
  const screen = await renderInBrowser(ui, store);
  await settled();
  return screen;
};

afterEach(async () => {
  await page.viewport(1024, 768);
});

describe("accessibility (axe, Chromium)", () => {
  it("the check itself catches a violation (an unlabelled input)", async () => {
    const bad = document.createElement("div");
    bad.innerHTML = '<input type="text">';
    document.body.append(bad);
    try {
      expect((await violations(bad)).join("\n")).toContain("label");
    } finally {
      bad.remove();
    }
  });

  for (const theme of ["light", "dark"] as const) {
    it(`has no violations: widgets of every kind, plot and table (${theme})`, async () => {
      const screen = await show(
        <>
          <StackView stack="cars/explorer" theme={theme} />
          <StackView stack="gapminder/countries" theme={theme} />
          <StackView stack="weather/seattle" theme={theme} defaultParams={{ $tab: "Table" }} />
        </>,
      );
      expect(await violations(document.body)).toEqual([]);
      // The combobox with its list open.
      await screen.getByRole("combobox", { name: "Country" }).click();
      await expect.element(screen.getByRole("listbox", { name: "Country" })).toBeVisible();
      expect(await violations(document.body)).toEqual([]);
    });
  }

  it("has no violations: images, markdown (hostile), notices, errors and downloads", async () => {
    await show(
      <>
        <StackView stack="images/logos" />
        <StackView stack="notes/hostile" />
        <StackView stack="plots/volcano" />
        <StackView stack="plots/bokeh" theme="dark" />
        <StackView stack="files/flights" />
        <StackView stack="broken/table" />
        <StackView stack="does/not-exist" />
      </>,
    );
    expect(await violations(document.body)).toEqual([]);
  });

  it("fits a 320 px screen without horizontal scrolling", async () => {
    await page.viewport(320, 640);
    await show(
      <>
        <StackView stack="cars/explorer" />
        <StackView stack="weather/seattle" defaultParams={{ $tab: "Table" }} />
      </>,
    );
    for (const section of document.querySelectorAll<HTMLElement>(".dk-stack")) {
      expect(section.getBoundingClientRect().width).toBeLessThanOrEqual(320);
      expect(section.scrollWidth).toBeLessThanOrEqual(section.clientWidth);
    }
    expect(document.documentElement.scrollWidth).toBeLessThanOrEqual(320);
  });
});
