// Stacks built from vega-datasets, pushed into a memory store the way a notebook would push them. Stories and
// browser tests read from these.
import { createFrame, pushFrame } from "../../src/client/frame";
import type { StackStore } from "../../src/model/stackStore";
import { createMemoryStore } from "../../src/storage/memoryStore";
import { millionFlights } from "./millionFlights";
import { type Car, carRows, countryRows, flightsArrow, logoImages, volcanoGrid, weatherRows } from "./vegaData";

export const ORIGINS = ["USA", "Europe", "Japan"] as const;
export const CYLINDERS = [3, 4, 5, 6, 8] as const;

function carTable(cars: Car[]) {
  return cars.map((c) => ({
    Name: c.Name,
    Miles_per_Gallon: c.Miles_per_Gallon,
    Cylinders: c.Cylinders,
    Horsepower: c.Horsepower,
    Weight_in_lbs: c.Weight_in_lbs,
    Year: new Date(`${c.Year}T00:00:00Z`),
    Origin: c.Origin,
  }));
}

/** Horsepower against fuel economy, as plotly. */
export function carsFigure(cars: Car[], log: boolean, title: string) {
  const shown = cars.filter((c) => c.Horsepower !== null && c.Miles_per_Gallon !== null);
  return {
    data: [
      {
        type: "scatter",
        mode: "markers",
        x: shown.map((c) => c.Horsepower),
        y: shown.map((c) => c.Miles_per_Gallon),
        text: shown.map((c) => c.Name),
        marker: { size: 8, opacity: 0.7 },
      },
    ],
    layout: {
      title: { text: title },
      xaxis: { title: { text: "Horsepower" }, type: log ? "log" : "linear" },
      yaxis: { title: { text: "Miles per gallon" } },
      margin: { t: 48, r: 16, b: 48, l: 56 },
    },
  };
}

/** `cars/explorer`: tabs (plot, data), Origin select, Cylinders slider, Log checkbox; only combinations with cars. */
export async function pushCarsExplorer(store: StackStore, stack = "cars/explorer"): Promise<string> {
  const frame = createFrame(stack, { store });
  for (const tab of ["Scatter", "Table"] as const) {
    for (const origin of ORIGINS) {
      for (const cylinders of CYLINDERS) {
        const cars = carRows.filter((c) => c.Origin === origin && c.Cylinders === cylinders);
        if (cars.length === 0) continue; // e.g. no European V8s: that combination shows disabled
        const title = `${origin}, ${cylinders} cylinders (${cars.length} cars)`;
        if (tab === "Scatter") {
          for (const log of [false, true]) {
            frame.commit(carsFigure(cars, log, title), `Horsepower vs fuel economy: **${title}**`, {
              Scatter: { type: "tab", title: "Plot" },
              Origin: origin,
              Cylinders: cylinders,
              "Log scale": log,
            });
          }
        } else {
          frame.commit(carTable(cars), `The cars: **${title}**`, {
            Table: { type: "tab", title: "Data" },
            Origin: origin,
            Cylinders: cylinders,
          });
        }
      }
    }
  }
  return (await frame.push({ message: "cars.json by origin and cylinders" })).frameId;
}

/** `cars/by-origin`: one select. */
export async function pushCarsByOrigin(store: StackStore): Promise<void> {
  const frame = createFrame("cars/by-origin", { store });
  for (const origin of ORIGINS) {
    const cars = carRows.filter((c) => c.Origin === origin);
    frame.commit(carsFigure(cars, false, `Cars from ${origin}`), `Cars made in ${origin}`, { Origin: origin });
  }
  await frame.push({ message: "one select" });
}

/** `cars/log-scale`: one checkbox. */
export async function pushCarsLogScale(store: StackStore): Promise<void> {
  const frame = createFrame("cars/log-scale", { store });
  for (const log of [false, true]) {
    frame.commit(carsFigure(carRows, log, "All cars"), log ? "Log horsepower axis" : "Linear axis", {
      "Log scale": log,
    });
  }
  await frame.push({ message: "one checkbox" });
}

/** `gapminder/countries`: a searchable select of 62 countries. */
export async function pushCountries(store: StackStore): Promise<void> {
  const frame = createFrame("gapminder/countries", { store });
  const countries = [...new Set(countryRows.map((r) => r.country))].sort();
  for (const country of countries) {
    const rows = countryRows.filter((r) => r.country === country);
    frame.commit(
      {
        data: [
          { type: "scatter", mode: "lines+markers", x: rows.map((r) => r.year), y: rows.map((r) => r.life_expect) },
        ],
        layout: { title: { text: `Life expectancy: ${country}` }, yaxis: { title: { text: "Years" } } },
      },
      `Life expectancy in **${country}**, 1955–2005 (gapminder)`,
      { Country: country },
    );
  }
  await frame.push({ message: "searchable select" });
}

/** `gapminder/years`: a slider over the eleven census years. */
export async function pushYears(store: StackStore): Promise<void> {
  const frame = createFrame("gapminder/years", { store });
  const years = [...new Set(countryRows.map((r) => r.year))].sort((a, b) => a - b);
  for (const year of years) {
    const rows = countryRows.filter((r) => r.year === year);
    frame.commit(
      {
        data: [
          {
            type: "scatter",
            mode: "markers",
            x: rows.map((r) => r.fertility),
            y: rows.map((r) => r.life_expect),
            text: rows.map((r) => r.country),
            marker: { size: rows.map((r) => Math.max(6, Math.sqrt(r.pop) / 1500)) },
          },
        ],
        layout: {
          title: { text: `Fertility and life expectancy, ${year}` },
          xaxis: { title: { text: "Children per woman" }, range: [0, 9] },
          yaxis: { title: { text: "Life expectancy" }, range: [20, 90] },
        },
      },
      `Countries in ${year}`,
      { Year: year },
    );
  }
  await frame.push({ message: "slider" });
}

/** `weather/seattle`: tabs, a table and a chart of the same data. */
export async function pushSeattle(store: StackStore): Promise<void> {
  const frame = createFrame("weather/seattle", { store });
  frame.commit(weatherRows, "Daily weather in Seattle, 2012–2015", { Table: { type: "tab" } });
  frame.commit(
    {
      data: [
        {
          type: "scatter",
          mode: "lines",
          name: "max",
          x: weatherRows.map((d) => d.date.toISOString().slice(0, 10)),
          y: weatherRows.map((d) => d.temp_max),
        },
        {
          type: "scatter",
          mode: "lines",
          name: "min",
          x: weatherRows.map((d) => d.date.toISOString().slice(0, 10)),
          y: weatherRows.map((d) => d.temp_min),
        },
      ],
      layout: { title: { text: "Temperature (°C)" } },
    },
    "Daily minimum and maximum temperature",
    { Chart: { type: "tab" } },
  );
  await frame.push({ message: "seattle-weather.csv" });
}

/** `weather/by-year`: one revision per year pushed, so the revision picker has history. */
export async function pushWeatherRevisions(store: StackStore): Promise<string[]> {
  const ids: string[] = [];
  for (const year of [2012, 2013, 2014, 2015]) {
    const rows = weatherRows.filter((d) => d.date.getUTCFullYear() === year);
    const { frameId } = await pushFrame({
      stack: "weather/by-year",
      data: rows,
      description: `Seattle weather in ${year}`,
      store,
      message: `${year} data`,
    });
    ids.push(frameId);
    await new Promise((resolve) => setTimeout(resolve, 2)); // distinct timestamps
  }
  return ids;
}

const SVG_WITH_SCRIPT = `<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100" viewBox="0 0 100 100" onload="window.__pwned = 'svg onload'">
<script>window.__pwned = 'svg script'</script>
<circle cx="50" cy="50" r="40" fill="#4c78a8"/><text x="50" y="56" font-size="16" text-anchor="middle" fill="white">SVG</text>
</svg>`;

/** `images/logos`: the dataset's PNG logos plus an SVG carrying a script (shown through <img>, so inert). */
export async function pushLogos(store: StackStore): Promise<void> {
  const frame = createFrame("images/logos", { store });
  for (const logo of await logoImages()) {
    frame.commit(new Blob([logo.bytes as Uint8Array<ArrayBuffer>], { type: "image/png" }), `The ${logo.name} logo`, {
      Logo: logo.name,
    });
  }
  frame.commit(new Blob([SVG_WITH_SCRIPT], { type: "image/svg+xml" }), "An SVG with a script inside", {
    Logo: "SVG",
  });
  await frame.push({ message: "images" });
}

export const HOSTILE_MARKDOWN = [
  "# Quarterly notes",
  "Everything below tries to run code; none of it may.",
  "<script>window.__pwned = 'script tag'</script>",
  '<img src="x" onerror="window.__pwned = \'onerror\'">',
  "[a javascript: link](javascript:window.__pwned='link')",
  "![an image with a javascript: source](javascript:window.__pwned='img')",
  "[a data: link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
  '<a href="javascript:alert(1)">raw HTML link</a>',
  '<iframe src="https://example.com"></iframe>',
  "[A normal link](https://vega.github.io/vega-datasets/) still works, and so does **bold** text.",
].join("\n\n");

/** `notes/hostile`: markdown attachment, description and readme full of attempts to run code. */
export async function pushHostile(store: StackStore): Promise<void> {
  await pushFrame({
    stack: "notes/hostile",
    data: HOSTILE_MARKDOWN,
    description: HOSTILE_MARKDOWN,
    store,
    message: "hostile",
  });
  await store.updateStack("notes/hostile", { readme: HOSTILE_MARKDOWN });
}

/** Seattle's days by weather type, as the GitHub-flavoured markdown table a notebook would print. */
function weatherSummaryTable(): string {
  const byType = new Map<string, { days: number; rain: number; high: number }>();
  for (const day of weatherRows) {
    const row = byType.get(day.weather) ?? { days: 0, rain: 0, high: 0 };
    row.days += 1;
    row.rain += day.precipitation;
    row.high += day.temp_max;
    byType.set(day.weather, row);
  }
  const rows = [...byType].sort((a, b) => b[1].days - a[1].days);
  return [
    "| weather | days | mean precipitation (mm) | mean high (°C) |",
    "|:--------|-----:|------------------------:|---------------:|",
    ...rows.map(
      ([type, r]) => `| ${type} | ${r.days} | ${(r.rain / r.days).toFixed(1)} | ${(r.high / r.days).toFixed(1)} |`,
    ),
  ].join("\n");
}

/** Notes as written in Jupyter: GitHub-flavoured tables, strikethrough, task lists, autolinks and a footnote. */
export const GFM_MARKDOWN = [
  "## Seattle weather, 2012–2015",
  `${weatherRows.length} days from https://vega.github.io/vega-datasets/ (\`seattle-weather.csv\`)[^source].`,
  weatherSummaryTable(),
  "Rain is ~~rare~~ the most common weather type, one day ahead of sun.",
  "- [x] load the data\n- [x] summarise by weather type\n- [ ] compare with www.wunderground.com",
  "[^source]: Collected by NOAA, published with the vega-datasets project.",
].join("\n\n");

/** `notes/weather`: GFM notes as the attachment, its description and the readme. */
export async function pushGfmNotes(store: StackStore): Promise<void> {
  await pushFrame({
    stack: "notes/weather",
    data: GFM_MARKDOWN,
    description: "Summary: ~~draft~~ final, see www.example.com",
    store,
    message: "notes",
  });
  await store.updateStack("notes/weather", {
    readme: "| owner | status |\n|---|---|\n| data team | ~~draft~~ reviewed |",
  });
}

/** Stacks whose bytes do not decode: a non-UTF-8 table and a plotly figure that is not JSON. */
export async function pushBroken(store: StackStore): Promise<void> {
  await store.push({
    stack: "broken/table",
    message: "corrupt upload",
    attachments: [
      {
        data: new Uint8Array([0x64, 0x61, 0x74, 0x65, 0x0a, 0xff, 0xfe, 0x00]),
        contentType: "text/csv",
        application: "pandas/dataframe",
        description: "A table whose bytes are not UTF-8",
        settings: { header: true, index: false, schema: ["object"], encoding: "utf-8" },
      },
    ],
  });
  await store.push({
    stack: "broken/figure",
    message: "truncated figure",
    attachments: [
      {
        data: new TextEncoder().encode('{"data": [{"type": "scatter", "x": [1, 2'),
        contentType: "application/json",
        application: "plotly",
        description: "A plotly figure cut short",
      },
    ],
  });
}

/** `plots/volcano`: Maunga Whau as a heatmap, a trace type outside plotly.js-basic-dist. */
export async function pushVolcano(store: StackStore): Promise<void> {
  const { width, height, values } = volcanoGrid;
  const z = Array.from({ length: height }, (_, r) => values.slice(r * width, (r + 1) * width));
  await pushFrame({
    stack: "plots/volcano",
    data: { data: [{ type: "heatmap", z }], layout: { title: { text: "Maunga Whau" } } },
    description: "Topography of Maunga Whau (volcano.json)",
    store,
  });
}

/** `plots/bokeh`: a bokeh json_item; drawn only when the host provides BokehJS. */
export async function pushBokeh(store: StackStore): Promise<void> {
  const item = {
    target_id: null,
    root_id: "p1001",
    doc: { version: "2.4.3", title: "Bokeh Application", roots: { references: [], root_ids: ["p1001"] } },
    version: "2.4.3",
  };
  await pushFrame({ stack: "plots/bokeh", data: item, description: "A bokeh scatter of cars.json", store });
}

/** `files/flights`: flights-200k.arrow, a format without a preview. */
export async function pushArrowFile(store: StackStore): Promise<void> {
  await store.push({
    stack: "files/flights",
    attachments: [
      {
        data: await flightsArrow(),
        contentType: "application/vnd.apache.arrow.file",
        description: "200,000 flights as an Arrow file",
        settings: { filename: "flights-200k.arrow" },
      },
    ],
  });
}

/** `flights/million`: a 1,000,000-row dataframe. */
export async function pushMillionFlights(store: StackStore, rows = 1_000_000): Promise<void> {
  await pushFrame({
    stack: "flights/million",
    data: millionFlights(rows),
    description: `${rows.toLocaleString("en")} flights (flights-2k, tiled)`,
    store,
    message: "a million rows",
  });
}

export { millionFlights };

let showcase: Promise<StackStore> | undefined;

/** One memory store with every showcase stack but the million-row one (pushed once, shared by stories). */
export function showcaseStore(): Promise<StackStore> {
  showcase ??= (async () => {
    const store = createMemoryStore();
    await Promise.all([
      pushCarsExplorer(store),
      pushCarsByOrigin(store),
      pushCarsLogScale(store),
      pushCountries(store),
      pushYears(store),
      pushSeattle(store),
      pushLogos(store),
      pushHostile(store),
      pushGfmNotes(store),
      pushBroken(store),
      pushVolcano(store),
      pushBokeh(store),
      pushArrowFile(store),
    ]);
    return store;
  })();
  return showcase;
}
