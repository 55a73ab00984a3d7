// <Dashboard> in headless Chromium (production React): 20 cards (10 plotly, 10 tables) over 4 shared params, 1,000
// attachments per stack.
//   1. a shared widget change → all 20 cards committed (the synchronous render of the input event), and → all 20
//      cards' content in the DOM (bytes read, decoded, table rows / plot drawn); once with plotly replaced by a no-op
//      renderer that still reads and decodes the figure, once with the real Plotly (whose own time is also summed
//      from its `react` calls);
//   2. mounting the whole dashboard: until the 20 cards are committed with their attachment, and until drawn.
// Run: npm run bench -- dashboard   (or node bench/browser/run.mjs bench/react/dashboard.bench.tsx)
// --changes=N sets the measured changes per series (default 60), --mounts=N the mounts (default 5).
// bench/react/dashboard.profile.mjs runs it under the V8 profiler (--profile-series=noop|plotly|plain|mount).
import type { ReactNode } from "react";
import { flushSync } from "react-dom";
import { createRoot, type Root } from "react-dom/client";
import { createFrame } from "../../src/client/frame";
import { cardAttachment, cardIsShown, dashboardSelection, planDashboardParams } from "../../src/model/dashboardParams";
import { availableOptions, buildParamSpace, completeSelection } from "../../src/model/paramSpace";
import type { StackStore } from "../../src/model/stackStore";
import {
  type AttachmentRenderer,
  type AttachmentRendererProps,
  Dashboard,
  DstackProvider,
  SafeMarkdown,
  useAttachment,
} from "../../src/react";
import type { PlotlyLike } from "../../src/react/renderers/externalLibraries";
import { createMemoryStore } from "../../src/storage/memoryStore";
import type { BenchResult, BrowserBench } from "../browser/harness";

const CARDS = 20;
const REGIONS = Array.from({ length: 10 }, (_, i) => `Region ${String.fromCharCode(65 + i)}`);
const PRODUCTS = ["Bikes", "Boats", "Cars", "Planes", "Trains"];
const YEARS = [2020, 2021, 2022, 2023, 2024];
const SCENARIOS = ["base", "low", "high", "stress"];
const PER_STACK = REGIONS.length * PRODUCTS.length * YEARS.length * SCENARIOS.length; // 1,000
const WARMUP = 5;

/** Attachment index of a combination: every stack commits them in this nested order. */
const indexOf = (r: number, p: number, y: number, s: number) =>
  ((r * PRODUCTS.length + p) * YEARS.length + y) * SCENARIOS.length + s;

const isPlotCard = (card: number) => card % 2 === 0;

/** 20 stacks over the same four params: even ones hold plotly figures (40 points), odd ones 24-row tables. */
/** `described: false` pushes the same stacks under `prefix` without descriptions (to see what their markdown costs). */
async function pushStacks(store: StackStore, prefix = "bench", described = true): Promise<string[]> {
  const names: string[] = [];
  for (let card = 0; card < CARDS; card++) {
    const name = `${prefix}/card-${String(card).padStart(2, "0")}`;
    names.push(name);
    const frame = createFrame(name, { store });
    REGIONS.forEach((Region, r) => {
      PRODUCTS.forEach((Product, p) => {
        YEARS.forEach((Year, y) => {
          SCENARIOS.forEach((Scenario, s) => {
            const seed = indexOf(r, p, y, s) + card * 7;
            const params = { Region, Product, Year, Scenario };
            // Each card's own text, as different stacks have: no description is shared between cards.
            const description = described ? `Card ${card}: ${Product} in ${Region}, ${Year} (${Scenario})` : undefined;
            if (isPlotCard(card)) {
              const x = Array.from({ length: 40 }, (_, i) => i);
              frame.commit(
                {
                  data: [{ type: "scatter", mode: "lines", x, y: x.map((i) => Math.sin((i + seed) / 5) * (1 + r)) }],
                  layout: { title: { text: `${name}: ${seed}` }, height: 260, margin: { t: 32, r: 8, b: 24, l: 32 } },
                },
                description,
                params,
              );
            } else {
              const rows = Array.from({ length: 24 }, (_, hour) => ({
                hour,
                units: (seed * 31 + hour * 17) % 1000,
                price: ((seed + hour) % 50) * 1.25,
                channel: hour % 3 === 0 ? "online" : "store",
              }));
              frame.commit(rows, description, params);
            }
          });
        });
      });
    });
    await frame.push({ message: `${PER_STACK} attachments` });
  }
  return names;
}

/** The plotly slot filled by a renderer that reads and decodes the figure like PlotlyRenderer, and draws nothing. */
function NoopPlot({ stack, frameId, attachment }: AttachmentRendererProps) {
  const figure = useAttachment(stack, frameId, attachment);
  return <div className="bench-noop-plot" data-state={figure.data === undefined ? "loading" : "drawn"} />;
}
const NOOP_PLOTLY: AttachmentRenderer[] = [
  { name: "plotly", test: (a) => a.application === "plotly", Component: NoopPlot },
];

/** Plotly with its `react` calls timed (synchronous part: where it lays out and draws). */
function timedPlotly(real: PlotlyLike) {
  const timing = { syncMs: 0, calls: 0 };
  const plotly: PlotlyLike = {
    react(root, data, layout, config) {
      const start = performance.now();
      const done = real.react(root, data, layout, config);
      timing.syncMs += performance.now() - start;
      timing.calls += 1;
      return done;
    },
    purge: (root) => real.purge(root),
    Plots: real.Plots,
    ...(real.PlotSchema ? { PlotSchema: real.PlotSchema } : {}),
  };
  return { plotly, timing };
}

const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));

/** Resolves when `done()` holds, checked on every DOM mutation under `root` (no polling delay). */
function whenDom(root: Element, done: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  if (done()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      observer.disconnect();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    const observer = new MutationObserver(() => {
      if (done()) {
        clearTimeout(timer);
        observer.disconnect();
        resolve();
      }
    });
    observer.observe(root, { subtree: true, childList: true, attributes: true });
  });
}

const cardsOf = (root: Element) => [...root.querySelectorAll<HTMLElement>("article[data-stack]")];

/** Every card shows attachment `index` (its box is committed; content may still be loading). */
const committed = (root: Element, index: number) => {
  const cards = cardsOf(root);
  return cards.length === CARDS && cards.every((c) => c.querySelector(`.dk-attachment[data-index="${index}"]`));
};

/** Every card's content for attachment `index` is in the DOM: table rows, or the plot drawn. */
const drawn = (root: Element, index: number) => {
  const cards = cardsOf(root);
  return (
    cards.length === CARDS &&
    cards.every((c) =>
      c.querySelector(
        `.dk-attachment[data-index="${index}"] [aria-rowindex="2"], .dk-attachment[data-index="${index}"] [data-state="drawn"]`,
      ),
    )
  );
};

function controlNamed(root: Element, label: string): HTMLInputElement | HTMLSelectElement {
  const controls = root.querySelector(".dk-dashboard__controls");
  const field = [...(controls?.querySelectorAll("label") ?? [])].find((l) => l.textContent === label);
  const control = field?.htmlFor ? document.getElementById(field.htmlFor) : null;
  if (!(control instanceof HTMLInputElement || control instanceof HTMLSelectElement)) {
    throw new Error(`no shared control "${label}"`);
  }
  return control;
}

/** What a user's change ends in: the value set as the browser would, then the event React listens to. */
function setControl(control: HTMLInputElement | HTMLSelectElement, optionIndex: number): void {
  const proto = control instanceof HTMLSelectElement ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, "value")?.set?.call(control, String(optionIndex));
  control.dispatchEvent(new Event(control instanceof HTMLSelectElement ? "change" : "input", { bubbles: true }));
}

interface Step {
  label: "Year" | "Region" | "Product" | "Scenario";
  option: number;
  index: number;
}

/**
 * Shared widget changes that never show a combination twice (so every change reads and decodes new bytes, and no
 * description was rendered before): a snake through Year (4 changes), then Region, up and down the regions, then
 * Product, all at one Scenario. Each series walks its own Scenario (its first change, a warm-up, selects it).
 */
function* walk(s: number): Generator<Step> {
  let r = 0;
  let y = 0;
  let dir = 1;
  if (s > 0) yield { label: "Scenario", option: s, index: indexOf(r, 0, y, s) };
  for (let p = 0; p < PRODUCTS.length; p++) {
    if (p > 0) yield { label: "Product", option: p, index: indexOf(r, p, y, s) };
    for (let n = 0; n < REGIONS.length; n++) {
      if (n > 0) {
        r += dir;
        yield { label: "Region", option: r, index: indexOf(r, p, y, s) };
      }
      for (let k = 0; k < YEARS.length - 1; k++) {
        y = (y + 1) % YEARS.length;
        yield { label: "Year", option: y, index: indexOf(r, p, y, s) };
      }
    }
    dir = -dir;
  }
}

interface Series {
  commit: number[];
  content: number[];
  plotlySync: number[];
}

async function changes(
  container: HTMLElement,
  count: number,
  scenario: number,
  timing: { syncMs: number } | undefined,
): Promise<Series> {
  const out: Series = { commit: [], content: [], plotlySync: [] };
  const steps = walk(scenario);
  for (let i = 0; i < WARMUP + count; i++) {
    const step = steps.next().value as Step;
    const control = controlNamed(container, step.label);
    if (timing) timing.syncMs = 0;
    const start = performance.now();
    setControl(control, step.option);
    const sync = performance.now();
    // A discrete event renders synchronously: the 20 boxes must already be there.
    if (!committed(container, step.index)) {
      throw new Error(`change ${i} (${step.label}) was not committed synchronously`);
    }
    await whenDom(container, () => drawn(container, step.index), `change ${i} to be drawn`);
    const content = performance.now();
    await nextFrame();
    if (i >= WARMUP) {
      out.commit.push(sync - start);
      out.content.push(content - start);
      if (timing) out.plotlySync.push(timing.syncMs);
    }
  }
  return out;
}

function provider(store: StackStore, children: ReactNode, plotly: PlotlyLike, noop: boolean) {
  return (
    <DstackProvider store={store} plotly={plotly} renderers={noop ? NOOP_PLOTLY : undefined}>
      {children}
    </DstackProvider>
  );
}

const run: BrowserBench = async ({ log, args }) => {
  const option = (name: string, fallback: number) => {
    const given = args.find((a) => a.startsWith(`--${name}=`));
    return given ? Number(given.slice(name.length + 3)) : fallback;
  };
  const CHANGES = option("changes", 60);
  const MOUNTS = option("mounts", 5);
  const profiled = args.find((a) => a.startsWith("--profile-series="))?.slice("--profile-series=".length);
  const profiler = (window as { __benchProfile?: (what: "start" | "stop") => Promise<void> }).__benchProfile;

  const container = document.createElement("div");
  container.style.width = "1280px";
  document.body.append(container);
  const results: BenchResult[] = [];
  const notes: string[] = [];

  log(`pushing ${CARDS} stacks of ${PER_STACK} attachments…`);
  const store = createMemoryStore();
  const stacks = await pushStacks(store);
  const dashboard = await store.createDashboard({ title: "Bench" });
  await store.insertCards(
    dashboard.user,
    dashboard.id,
    0,
    stacks.map((stack) => ({ stack })),
  );
  const real = ((await import("plotly.js-basic-dist")) as { default: PlotlyLike }).default;
  const { plotly, timing } = timedPlotly(real);

  const plainStacks = await pushStacks(store, "plain", false);
  const plainDashboard = await store.insertCards(
    dashboard.user,
    (await store.createDashboard({ title: "Bench, no descriptions" })).id,
    0,
    plainStacks.map((stack) => ({ stack })),
  );
  const view = (noop: boolean, id = dashboard.id) => provider(store, <Dashboard id={id} />, plotly, noop);

  // 1. Mounts: to 20 committed cards (the first attachment of each) and to 20 drawn cards.
  const profileMounts = profiled === "mount" && profiler !== undefined;
  for (const noop of profileMounts ? [true] : profiled ? [] : [true, false]) {
    const toCommit: number[] = [];
    const toDrawn: number[] = [];
    for (let i = 0; i < MOUNTS + 1; i++) {
      if (profileMounts && i === 1) await profiler("start");
      const target = document.createElement("div");
      container.replaceChildren(target);
      const start = performance.now();
      const root = createRoot(target);
      root.render(view(noop));
      await whenDom(target, () => committed(target, 0), "mount commit");
      const cardsIn = performance.now();
      await whenDom(target, () => drawn(target, 0), "mount drawn");
      const all = performance.now();
      if (i > 0) {
        toCommit.push(cardsIn - start);
        toDrawn.push(all - start);
      }
      root.unmount();
    }
    if (profileMounts) await profiler("stop");
    const which = noop ? "no-op plotly" : "real Plotly";
    results.push(
      { name: `mount → 20 cards committed (${which})`, samples: toCommit },
      { name: `mount → 20 cards drawn (${which})`, samples: toDrawn },
    );
    log(`mounts done (${which})`);
  }

  // 2. Shared widget changes.
  const series: Record<string, Series> = {};
  const variants = [
    { which: "no-op plotly", key: "noop", noop: true, id: dashboard.id, scenario: 0 },
    { which: "real Plotly", key: "plotly", noop: false, id: dashboard.id, scenario: 1 },
    { which: "no descriptions", key: "plain", noop: true, id: plainDashboard.id, scenario: 2 },
  ];
  for (const { which, key, noop, id, scenario } of variants) {
    if (profiled && profiled !== key) continue;
    const target = document.createElement("div");
    container.replaceChildren(target);
    const root: Root = createRoot(target);
    root.render(view(noop, id));
    await whenDom(target, () => drawn(target, 0), "mount");
    const profiling = profiled !== undefined && profiler !== undefined;
    if (profiling) await profiler("start");
    series[which] = await changes(target, CHANGES, scenario, noop ? undefined : timing);
    if (profiling) await profiler("stop");
    root.unmount();
    log(`changes done (${which})`);
  }
  const none: Series = { commit: [], content: [], plotlySync: [] };
  const noop = series["no-op plotly"] ?? none;
  const withPlotly = series["real Plotly"] ?? none;
  const plain = series["no descriptions"] ?? none;
  results.push(
    { name: "change → 20 cards committed (no-op plotly)", samples: noop.commit },
    { name: "change → 20 cards committed (real Plotly)", samples: withPlotly.commit },
    { name: "change → 20 cards committed (no-op, no descriptions)", samples: plain.commit },
    { name: "change → 20 cards' content (no-op plotly)", samples: noop.content },
    { name: "change → 20 cards drawn (real Plotly)", samples: withPlotly.content },
    { name: "  of which Plotly.react (10 plots, sync)", samples: withPlotly.plotlySync },
  );
  // 3. Two parts of a change's synchronous render, alone: the params model and the 20 descriptions' markdown.
  if (!profiled) {
    const heads = await Promise.all(stacks.map((stack) => store.getStack(stack)));
    const spaces = heads.map((info) => buildParamSpace(info.head?.attachments ?? []));
    const plan = planDashboardParams(spaces);
    const model: number[] = [];
    const steps = walk(0);
    for (let i = 0; i < WARMUP + CHANGES; i++) {
      const step = steps.next().value as Step;
      const raw = { Region: REGIONS[step.index % 10] as string, Year: YEARS[i % YEARS.length] as number };
      const start = performance.now();
      // What one change computes: the selection, the shared widgets' enabled options, each card's attachment.
      const value = dashboardSelection(plan, raw);
      availableOptions(plan.merged, completeSelection(plan.merged, value));
      for (const space of spaces) if (cardIsShown(space, plan, value)) cardAttachment(space, value);
      if (i >= WARMUP) model.push(performance.now() - start);
    }
    const target = document.createElement("div");
    container.replaceChildren(target);
    const root = createRoot(target);
    const texts = (i: number) =>
      Array.from({ length: CARDS }, (_, card) => `Card ${card}: ${PRODUCTS[card % 5]} in ${REGIONS[i % 10]}, #${i}`);
    const show = (i: number) =>
      root.render(
        <DstackProvider store={store}>
          {texts(i).map((text, card) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: one slot per card, as the dashboard has
            <SafeMarkdown key={card}>{text}</SafeMarkdown>
          ))}
        </DstackProvider>,
      );
    show(0);
    // The markdown parser loads on first use; then every render parses.
    await whenDom(target, () => target.querySelector(".dk-markdown p") !== null, "markdown to load");
    const markdown: number[] = [];
    for (let i = 1; i <= WARMUP + CHANGES; i++) {
      const start = performance.now();
      flushSync(() => show(i));
      if (i > WARMUP) markdown.push(performance.now() - start);
    }
    // The same 20 texts as the <p> the parser makes of them: what a plain-text fast path would leave.
    const paragraphs: number[] = [];
    for (let i = 1; i <= WARMUP + CHANGES; i++) {
      const start = performance.now();
      flushSync(() =>
        root.render(
          <DstackProvider store={store}>
            {texts(i + 1000).map((text, card) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: one slot per card, as the dashboard has
              <div key={card} className="dk-markdown">
                <p>{text}</p>
              </div>
            ))}
          </DstackProvider>,
        ),
      );
      if (i > WARMUP) paragraphs.push(performance.now() - start);
    }
    root.unmount();
    results.push(
      { name: "  params model alone (selection, options, 20 cards)", samples: model },
      { name: "  20 descriptions through SafeMarkdown alone", samples: markdown },
      { name: "  the same 20 as plain <p> alone", samples: paragraphs },
    );
  }

  notes.push(
    `${CARDS} cards (10 plotly, 10 tables), ${PER_STACK} attachments each over 4 shared params: Region (10, select), ` +
      "Product (5, select), Year (5, slider), Scenario (4, select). Container 1280 px wide: two columns.",
    "Each change is a Year, Region or Product change showing a combination not shown before (bytes read from the " +
      "memory store and decoded every time; each card's description is its own, never rendered before).",
    "committed = the input event's synchronous render: shared widgets + 20 cards, each with its new attachment box.",
    "no descriptions = the same 20 stacks pushed without attachment descriptions (no markdown to parse per card).",
    "content/drawn = every card's table rows or plot for the new attachment in the DOM (no-op: the figure decoded, " +
      "not drawn). Plotly.react = the summed synchronous time of its 10 calls per change.",
    "mount = createRoot().render(<Dashboard id>) through the store (definition + 20 stacks' heads + param spaces).",
    "The 'alone' rows time parts of a change's commit outside React's tree: the params model (dashboardSelection, " +
      "availableOptions over the merged space, 20 cardAttachment lookups) and 20 one-line descriptions rendered " +
      "through SafeMarkdown (a full markdown parse each), and the same texts as plain paragraphs.",
  );
  container.remove();
  return {
    title: `dstack-kit/react: a 20-card Dashboard over 4 shared params, 1,000 attachments per stack (${CHANGES} changes after ${WARMUP} warm-ups, ${MOUNTS} mounts)`,
    results,
    notes,
  };
};

export default run;
