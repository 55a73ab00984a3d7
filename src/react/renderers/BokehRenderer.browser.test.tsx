// Bokeh items run their own scripts (CustomJS on document_ready, HTML event handlers). In Chromium: in the default
// sandboxed frame those scripts cannot touch the host page; only `trustContent` lets them run in it.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMemoryStore } from "../../storage/memoryStore";
import { StackView } from "../stackView/StackView";
import { bokehItem, createFakeBokeh, fakeBokehScriptUrl } from "../testing/fakeBokeh";
import { pushSingle } from "../testing/fixtures";
import { renderInBrowser, waitFor } from "../testing/renderInBrowser";
import { BOKEH_HEIGHT_MESSAGE } from "./bokeh/frameHeight";

// Each attempt a hostile plot makes on the page embedding it, reported back to the test by postMessage.
const HOSTILE = `
  var results = {};
  function attempt(name, act) {
    try { act(); results[name] = "done"; } catch (error) { results[name] = "blocked: " + (error && error.name); }
  }
  attempt("parent global", function () { parent.dkPwned = "parent"; });
  attempt("top global", function () { window.top.dkPwned = "top"; });
  attempt("parent cookie", function () { results.stolen = parent.document.cookie; });
  attempt("parent DOM", function () { parent.document.body.append("pwned"); });
  attempt("top localStorage", function () { window.top.localStorage.setItem("dk-pwned", "1"); });
  attempt("own localStorage", function () { localStorage.setItem("dk-pwned", "1"); });
  attempt("own cookie", function () { document.cookie = "dk-pwned=1"; });
  results.nonces = [].map.call(document.scripts, function (s) { return s.nonce; }).join("");
  parent.postMessage({ type: "dk-probe", results: results }, "*");
  // The frame's own policy: no network, so nothing can be sent out either.
  var violated = [];
  document.addEventListener("securitypolicyviolation", function (event) {
    violated.push(event.effectiveDirective);
    if (violated.length === 2) parent.postMessage({ type: "dk-csp", violated: violated.sort() }, "*");
  });
  new Image().src = "https://tracker.invalid/pixel.png";
  fetch("https://tracker.invalid/collect").catch(function () {});
`;

type Globals = { dkPwned?: unknown; dkTrusted?: unknown; Bokeh?: unknown };
const globals = globalThis as Globals;

function frames(): HTMLIFrameElement[] {
  return [...document.querySelectorAll<HTMLIFrameElement>(".dk-bokeh iframe")];
}

/** The next message `source` posts with `type`. */
function nextMessage(type: string, source: () => Window | null | undefined): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (event: MessageEvent) => {
      const data = event.data as { type?: unknown } | null;
      if (data?.type !== type || event.source !== source()) return;
      window.removeEventListener("message", onMessage);
      resolve(data as Record<string, unknown>);
    };
    window.addEventListener("message", onMessage);
  });
}

async function hostileStore() {
  const store = createMemoryStore();
  await pushSingle(store, "plots/hostile", bokehItem("p1001", { height: 432, documentReady: [HOSTILE] }), "Cars");
  return store;
}

beforeEach(() => {
  // biome-ignore lint/suspicious/noDocumentCookie: a cookie for the plot to try to steal
  document.cookie = "dk-secret=s3cret; path=/";
  localStorage.removeItem("dk-pwned");
});

afterEach(() => {
  delete globals.dkPwned;
  delete globals.dkTrusted;
  delete globals.Bokeh;
  // biome-ignore lint/suspicious/noDocumentCookie: removes the planted cookie
  document.cookie = "dk-secret=; path=/; max-age=0";
  localStorage.removeItem("dk-pwned");
});

describe("bokeh renderer (Chromium)", () => {
  it("draws in a sandboxed frame whose CustomJS cannot reach the page, and sizes the frame to the plot", async () => {
    const store = await hostileStore();
    const probe = nextMessage("dk-probe", () => frames()[0]?.contentWindow);
    const csp = nextMessage("dk-csp", () => frames()[0]?.contentWindow);
    await renderInBrowser(<StackView stack="plots/hostile" />, store, { bokeh: { scripts: [fakeBokehScriptUrl()] } });
    const frame = await waitFor(() => frames()[0], 10_000, "the bokeh frame");
    expect(frame.getAttribute("sandbox")).toBe("allow-scripts");
    expect(frame.title).toBe("Cars");

    // The CustomJS did run (it reported back), and every reach outside its frame failed.
    const { results } = await probe;
    expect(results).toEqual({
      "parent global": "blocked: SecurityError",
      "top global": "blocked: SecurityError",
      "parent cookie": "blocked: SecurityError",
      "parent DOM": "blocked: SecurityError",
      "top localStorage": "blocked: SecurityError",
      "own localStorage": "blocked: SecurityError",
      "own cookie": "blocked: SecurityError",
      nonces: "",
    });
    expect((await csp).violated).toEqual(["connect-src", "img-src"]);
    expect(globals.dkPwned).toBeUndefined();
    expect(localStorage.getItem("dk-pwned")).toBeNull();
    expect(document.cookie).toContain("dk-secret=s3cret");
    expect(document.cookie).not.toContain("dk-pwned");
    expect(document.body.textContent).not.toContain("pwned");

    // The stand-in draws a 432 px root; the frame takes that height from the frame's report.
    await waitFor(() => frame.getBoundingClientRect().height === 432, 10_000, "the frame to take the plot's height");
  });

  it("ignores height reports from any window but the plot's own frame", async () => {
    const store = createMemoryStore();
    await pushSingle(store, "plots/small", bokehItem("p1", { height: 200 }));
    await renderInBrowser(<StackView stack="plots/small" />, store, { bokeh: { scripts: [fakeBokehScriptUrl()] } });
    const frame = await waitFor(() => frames()[0], 10_000, "the bokeh frame");
    await waitFor(() => frame.getBoundingClientRect().height === 200, 10_000, "the plot's height");

    // The page itself, and another sandboxed frame, post a height report.
    window.postMessage({ type: BOKEH_HEIGHT_MESSAGE, height: 999 }, "*");
    const other = document.createElement("iframe");
    other.sandbox.add("allow-scripts");
    other.srcdoc = `<script>parent.postMessage(${JSON.stringify({ type: BOKEH_HEIGHT_MESSAGE, height: 777 })}, "*");</script>`;
    const posted = nextMessage(BOKEH_HEIGHT_MESSAGE, () => other.contentWindow);
    document.body.append(other);
    await posted;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(frame.getBoundingClientRect().height).toBe(200);
    other.remove();
  });

  it("says BokehJS did not load inside the frame, and leaves the page alone", async () => {
    const store = await hostileStore();
    await renderInBrowser(<StackView stack="plots/hostile" />, store, {
      bokeh: { scripts: ["data:text/javascript,window.NotBokeh%3D1"] },
    });
    const frame = await waitFor(() => frames()[0], 10_000, "the bokeh frame");
    // The frame reports its message, one short paragraph; the page shows no error of its own.
    const height = () => frame.getBoundingClientRect().height;
    await waitFor(() => height() > 0 && height() < 120, 10_000, "the frame's report of its message");
    expect(document.querySelector(".dk-stack [role='alert']")).toBeNull();
  });

  it("refuses the page's own BokehJS unless the content is trusted", async () => {
    globals.Bokeh = createFakeBokeh();
    const store = await hostileStore();
    const screen = await renderInBrowser(<StackView stack="plots/hostile" />, store);
    await waitFor(() => document.querySelector(".dk-stack [role='note'], .dk-bokeh"), 10_000, "the bokeh box");
    expect(localStorage.getItem("dk-pwned")).toBeNull();
    expect(document.querySelector(".dk-bokeh")).toBeNull();
    await expect.element(screen.getByRole("note")).toHaveTextContent("set trustContent");
    await expect.element(screen.getByRole("button", { name: /Download plot JSON/ })).toBeVisible();
  });

  it("with trustContent, embeds in the page with the page's BokehJS, where CustomJS runs", async () => {
    const store = createMemoryStore();
    await pushSingle(
      store,
      "plots/trusted",
      bokehItem("p7", { height: 250, documentReady: ["window.dkTrusted = 1;"] }),
    );
    await renderInBrowser(<StackView stack="plots/trusted" />, store, {
      bokeh: createFakeBokeh(),
      trustContent: true,
    });
    const root = await waitFor(() => document.querySelector<HTMLElement>(".dk-bokeh > .bk-root"), 10_000, "the plot");
    expect(root.textContent).toBe("BokehJS stand-in: root p7");
    expect(globals.dkTrusted).toBe(1);
    expect(frames()).toHaveLength(0);
  });
});
