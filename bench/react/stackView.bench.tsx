// dstack-kit/react in headless Chromium (production React build):
//   1. widget change → committed DOM on a stack of 10,000 attachments, for the image and the table renderer;
//   2. mounting a 1,000,000-row table: time and DOM row count (from a ColumnTable, and end to end from the store).
// Run: npm run bench -- react   (or node bench/browser/run.mjs bench/react/stackView.bench.tsx)
import { flushSync } from "react-dom";
import { createRoot, type Root } from "react-dom/client";
import { createFrame, pushFrame } from "../../src/client/frame";
import type { StackStore } from "../../src/model/stackStore";
import { DataTable, DstackProvider, StackView } from "../../src/react";
import { createMemoryStore } from "../../src/storage/memoryStore";
import { millionFlights } from "../../stories/seed/millionFlights";
import type { BenchResult, BrowserBench } from "../browser/harness";

const SIDE = 100; // 100 × 100 = 10,000 attachments
const WARMUP = 5;
const CHANGES = 60;
const MILLION = 1_000_000;
const MOUNTS = 5;

const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

/** 100 distinct small PNGs (reused across the 10,000 attachments; each attachment still stores its own Blob). */
async function pngs(): Promise<Blob[]> {
  const canvas = new OffscreenCanvas(64, 64);
  const context = canvas.getContext("2d") as OffscreenCanvasRenderingContext2D;
  const out: Blob[] = [];
  for (let i = 0; i < SIDE; i++) {
    context.fillStyle = `hsl(${(i * 360) / SIDE} 70% 50%)`;
    context.fillRect(0, 0, 64, 64);
    context.fillStyle = "#fff";
    context.fillText(String(i), 24, 36);
    out.push(await canvas.convertToBlob({ type: "image/png" }));
  }
  return out;
}

/** Two sliders (Row, Column) over 10,000 image attachments. */
async function pushImages(store: StackStore): Promise<void> {
  const images = await pngs();
  const frame = createFrame("bench/images", { store });
  for (let row = 0; row < SIDE; row++) {
    for (let column = 0; column < SIDE; column++) {
      frame.commit(images[(row + column) % SIDE] as Blob, undefined, { Row: row, Column: column });
    }
  }
  await frame.push();
}

/** A searchable select (Station, 100 options) and a slider (Day) over 10,000 small tables (24 rows each). */
async function pushTables(store: StackStore): Promise<void> {
  const frame = createFrame("bench/tables", { store });
  for (let station = 0; station < SIDE; station++) {
    for (let day = 0; day < SIDE; day++) {
      const rows = Array.from({ length: 24 }, (_, hour) => ({
        hour,
        temperature: 10 + ((station * 7 + day * 3 + hour) % 20) / 2,
        wind: ((station + hour) % 9) * 1.5,
        sky: hour % 3 === 0 ? "clear" : "cloudy",
      }));
      frame.commit(rows, undefined, { Station: `Station ${String(station).padStart(3, "0")}`, Day: day });
    }
  }
  await frame.push();
}

function setRange(input: HTMLInputElement, value: number): void {
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")?.set;
  setter?.call(input, String(value));
  input.dispatchEvent(new Event("input", { bubbles: true }));
}

/** Resolves when `done()` holds, checked on every DOM mutation under `root` (no polling delay). */
function whenDom(root: Element, done: () => boolean): Promise<void> {
  if (done()) return Promise.resolve();
  return new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (done()) {
        observer.disconnect();
        resolve();
      }
    });
    observer.observe(root, { subtree: true, childList: true, attributes: true });
  });
}

interface ChangeSamples {
  commit: number[];
  content: number[];
  frame: number[];
}

/**
 * Moves `slider` through fresh stops (each change shows an attachment not seen before) and times:
 * commit = the event's synchronous render (widget and attachment box swapped), content = the new attachment's
 * image / table rows in the DOM (bytes fetched, decoded, rendered), frame = content plus the next animation frame.
 */
async function widgetChanges(
  container: HTMLElement,
  slider: HTMLInputElement,
  contentReady: (index: number) => boolean,
): Promise<ChangeSamples> {
  const samples: ChangeSamples = { commit: [], content: [], frame: [] };
  for (let i = 0; i < WARMUP + CHANGES; i++) {
    const value = (Number(slider.value) + 1) % SIDE;
    const start = performance.now();
    setRange(slider, value);
    const committed = performance.now();
    const box = container.querySelector<HTMLElement>(".dk-attachment");
    const index = Number(box?.dataset.index);
    if (slider.getAttribute("aria-valuetext") !== String(value) || !box) {
      throw new Error("the change was not committed synchronously");
    }
    await whenDom(container, () => contentReady(index));
    const content = performance.now();
    await nextFrame();
    const frame = performance.now();
    if (i >= WARMUP) {
      samples.commit.push(committed - start);
      samples.content.push(content - start);
      samples.frame.push(frame - start);
    }
  }
  return samples;
}

async function mountView(store: StackStore, stack: string, container: HTMLElement): Promise<Root> {
  const root = createRoot(container);
  root.render(
    <DstackProvider store={store}>
      <StackView stack={stack} hideApi />
    </DstackProvider>,
  );
  await whenDom(container, () => container.querySelector(".dk-attachment img, .dk-table [aria-rowindex='2']") !== null);
  return root;
}

const run: BrowserBench = async ({ log }) => {
  const container = document.createElement("div");
  container.style.width = "1024px";
  document.body.append(container);
  const results: BenchResult[] = [];
  const notes: string[] = [];

  // 1a. Images.
  const store = createMemoryStore();
  log("pushing 10,000 image attachments and 10,000 table attachments…");
  await pushImages(store);
  await pushTables(store);
  let root = await mountView(store, "bench/images", container);
  const imageSlider = container.querySelector<HTMLInputElement>('input[type="range"]') as HTMLInputElement;
  let shownUrl = "";
  const images = await widgetChanges(container, imageSlider, (index) => {
    const img = container.querySelector<HTMLImageElement>(`.dk-attachment[data-index="${index}"] img`);
    if (!img || img.src === shownUrl) return false;
    shownUrl = img.src;
    return true;
  });
  results.push(
    { name: "image: change → commit", samples: images.commit },
    { name: "image: change → new <img> in DOM", samples: images.content },
    { name: "image: change → <img> + next frame", samples: images.frame },
  );
  root.unmount();
  log("images done");

  // 1b. Tables (the slider is Day; Station is the searchable select).
  root = await mountView(store, "bench/tables", container);
  const tableSlider = container.querySelector<HTMLInputElement>('input[type="range"]') as HTMLInputElement;
  const tables = await widgetChanges(
    container,
    tableSlider,
    (index) => container.querySelector(`.dk-attachment[data-index="${index}"] [aria-rowindex="2"]`) !== null,
  );
  results.push(
    { name: "table: change → commit", samples: tables.commit },
    { name: "table: change → new rows in DOM", samples: tables.content },
    { name: "table: change → rows + next frame", samples: tables.frame },
  );
  root.unmount();
  log("tables done");

  // 2a. A million rows from a ColumnTable already in memory.
  const table = millionFlights(MILLION);
  const mount: number[] = [];
  let domRows = 0;
  for (let i = 0; i < MOUNTS + 1; i++) {
    const target = document.createElement("div");
    container.replaceChildren(target);
    const tableRoot = createRoot(target);
    const start = performance.now();
    flushSync(() => tableRoot.render(<DataTable table={table} label="flights" />));
    const committed = performance.now();
    await nextFrame();
    domRows = target.querySelectorAll('[role="row"]').length;
    if (i > 0) mount.push(committed - start);
    tableRoot.unmount();
  }
  results.push({ name: "1M-row DataTable: mount (commit)", samples: mount });
  notes.push(`1M-row DataTable: ${domRows} rows in the DOM (header included) at 1024 px wide, 480 px tall.`);

  // 2b. End to end: the same table pushed as CSV, shown by StackView (fetch, in-thread parse, render).
  await pushFrame({ stack: "bench/million", data: table, store });
  const endToEnd: number[] = [];
  for (let i = 0; i < 3; i++) {
    container.replaceChildren();
    const start = performance.now();
    root = await mountView(store, "bench/million", container);
    endToEnd.push(performance.now() - start);
    domRows = container.querySelectorAll('.dk-table [role="row"]').length;
    root.unmount();
  }
  results.push({ name: "1M-row StackView: mount → rows (parse incl.)", samples: endToEnd });
  notes.push(
    `1M-row StackView: ${domRows} rows in the DOM; the CSV is ${((await (await store.getStack("bench/million")).head?.attachments[0]?.length) ?? 0).toLocaleString("en")} bytes.`,
  );
  notes.push(
    "Stacks: 10,000 attachments each (images: Row × Column sliders; tables: Station select × Day slider, 24×4 tables).",
    "Every change shows an attachment not shown before: bytes are read from the memory store and decoded each time.",
    "commit = synchronous render of the input event (widgets + attachment box); content = the attachment's own DOM.",
  );
  container.remove();
  return {
    title: `dstack-kit/react: StackView on 10,000-attachment stacks and a 1,000,000-row table (${CHANGES} changes after ${WARMUP} warm-ups)`,
    results,
    notes,
  };
};

export default run;
