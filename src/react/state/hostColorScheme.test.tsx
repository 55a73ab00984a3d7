// theme="auto" follows the page the kit is embedded in, not the OS: a light page on a dark system stays light.
import { act, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createMemoryStore } from "../../storage/memoryStore";
import { Dashboard } from "../dashboard/Dashboard";
import { renderWithStore } from "../testing/renderWithStore";
import { hostColorScheme } from "./hostColorScheme";

/** A matchMedia whose `prefers-color-scheme: dark` is `dark`. */
function systemPrefers(dark: boolean) {
  vi.stubGlobal("matchMedia", (query: string) => ({
    matches: dark && query.includes("dark"),
    media: query,
    addEventListener() {},
    removeEventListener() {},
  }));
}

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.removeAttribute("style");
  document.documentElement.removeAttribute("style");
  for (const meta of document.querySelectorAll('meta[name="color-scheme"]')) meta.remove();
});

describe("hostColorScheme", () => {
  it("is light for a page that declares nothing, even when the system is dark", () => {
    systemPrefers(true);
    expect(hostColorScheme()).toBe("light");
  });

  it("is dark for a page with a dark background", () => {
    systemPrefers(false);
    document.body.style.backgroundColor = "rgb(13, 17, 23)";
    expect(hostColorScheme()).toBe("dark");
    document.body.style.backgroundColor = "rgb(250, 250, 250)";
    expect(hostColorScheme()).toBe("light");
  });

  it("follows a color-scheme meta, and the system only when the page offers both", () => {
    const meta = document.createElement("meta");
    meta.name = "color-scheme";
    meta.content = "dark";
    document.head.append(meta);
    systemPrefers(false);
    expect(hostColorScheme()).toBe("dark");
    meta.content = "light dark";
    expect(hostColorScheme()).toBe("light");
    systemPrefers(true);
    expect(hostColorScheme()).toBe("dark");
  });

  it("redraws a dashboard when the host page switches to dark", async () => {
    systemPrefers(true);
    const store = createMemoryStore();
    const d = await store.createDashboard({ title: "Themed" });
    renderWithStore(<Dashboard id={d.id} />, { store });
    const region = await screen.findByRole("region", { name: "Themed" });
    expect(region.dataset.dkTheme).toBe("light");
    await act(async () => {
      document.body.style.backgroundColor = "#111";
      // MutationObserver callbacks run as microtasks
      await Promise.resolve();
    });
    expect(region.dataset.dkTheme).toBe("dark");
  });
});
