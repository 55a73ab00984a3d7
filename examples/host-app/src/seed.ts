/// <reference types="vite/client" />
// Demo data for a first run on an empty IndexedDB, pushed through the kit's public client API as any script would.
// The vega datasets are read from node_modules at build time, so seeding fetches nothing from the network.
import { createFrame, pushFrame, type StackStore } from "dstack-kit";
import cars from "../../../node_modules/vega-datasets/data/cars.json";
import flights from "../../../node_modules/vega-datasets/data/flights-10k.json";
import seattleCsv from "../../../node_modules/vega-datasets/data/seattle-weather.csv?raw";

interface Day {
  date: string;
  precipitation: number;
  temp_max: number;
  temp_min: number;
  wind: number;
  weather: string;
}

const days: Day[] = seattleCsv
  .trim()
  .split("\n")
  .slice(1)
  .map((line) => {
    const [date, precipitation, temp_max, temp_min, wind, weather] = line.split(",");
    return {
      date: date!,
      precipitation: Number(precipitation),
      temp_max: Number(temp_max),
      temp_min: Number(temp_min),
      wind: Number(wind),
      weather: weather!.trim(),
    };
  });

export const YEARS = [2012, 2013, 2014, 2015];
const KINDS = ["sun", "rain", "drizzle", "fog", "snow"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

const linePlot = (a: number) => {
  const xs = Array.from({ length: 21 }, (_, x) => x);
  return {
    data: [{ type: "scatter", mode: "lines+markers", x: xs, y: xs.map((x) => a * x), name: `${a}·x` }],
    layout: { title: { text: `a = ${a}` }, xaxis: { range: [0, 20] }, yaxis: { range: [0, 40] } },
  };
};

async function pushBasics(store: StackStore): Promise<void> {
  await pushFrame({
    stack: "simple",
    data: { data: [{ type: "scatter", x: [1, 2, 3, 4], y: [1, 4, 9, 16] }], layout: {} },
    description: "My first plot",
    message: "My first plot",
    store,
  });

  // Two revisions, so the revision picker has something to tell apart.
  const first = createFrame("line_plot", { store });
  for (const c of [0.5, 1.0, 1.5])
    first.commit(linePlot(c), `Line plot with the coefficient of ${c}`, { Coefficient: c });
  await first.push({ message: "three coefficients" });
  const frame = createFrame("line_plot", { store });
  for (const c of [0.5, 1.0, 1.5, 2.0]) {
    frame.commit(linePlot(c), `Line plot with the coefficient of ${c}`, { Coefficient: c });
  }
  await frame.push({ message: "four coefficients" });

  const rows = Array.from({ length: 6 }, (_, i) => ({
    date: new Date(Date.UTC(2013, 0, 1 + i)),
    A: Math.round(Math.sin(i) * 1000) / 1000,
    B: Math.round(Math.cos(i) * 1000) / 1000,
  }));
  await pushFrame({
    stack: "static_dataset_example",
    data: rows,
    description: "static dataset",
    message: "six days of A and B",
    store,
  });
}

/** `weather/seattle`: one figure per Year and kind of weather (a slider and a select). */
async function pushWeatherByKind(store: StackStore): Promise<void> {
  const frame = createFrame("weather/seattle", { store });
  for (const year of YEARS) {
    for (const kind of KINDS) {
      const picked = days.filter((d) => d.date.startsWith(String(year)) && d.weather === kind);
      frame.commit(
        {
          data: [
            {
              type: "scatter",
              mode: "markers",
              name: "max °C",
              x: picked.map((d) => d.date),
              y: picked.map((d) => d.temp_max),
            },
            {
              type: "scatter",
              mode: "markers",
              name: "min °C",
              x: picked.map((d) => d.date),
              y: picked.map((d) => d.temp_min),
            },
          ],
          layout: {
            title: { text: `Seattle ${year}: ${picked.length} days of ${kind}` },
            xaxis: { range: [`${year}-01-01`, `${year}-12-31`] },
            yaxis: { range: [-10, 40], title: { text: "°C" } },
          },
        },
        `Daily temperatures on days of ${kind} in ${year}`,
        { Year: year, Weather: kind },
      );
    }
  }
  await frame.push({ message: "temperatures by year and weather" });
}

/** `weather/precipitation`: monthly totals per Year (shares Year with weather/seattle on the demo dashboard). */
async function pushPrecipitation(store: StackStore): Promise<void> {
  const frame = createFrame("weather/precipitation", { store });
  for (const year of YEARS) {
    const totals = MONTHS.map((_, m) =>
      days
        .filter((d) => d.date.startsWith(`${year}-${String(m + 1).padStart(2, "0")}`))
        .reduce((sum, d) => sum + d.precipitation, 0),
    );
    frame.commit(
      {
        data: [{ type: "bar", x: MONTHS, y: totals.map((t) => Math.round(t * 10) / 10), name: "mm" }],
        layout: { title: { text: `Precipitation in ${year} (mm)` }, yaxis: { range: [0, 300] } },
      },
      `Monthly precipitation in ${year}`,
      { Year: year },
    );
  }
  await frame.push({ message: "monthly precipitation" });
}

/** `weather/report`: tabs (a chart, the table, notes). */
async function pushReport(store: StackStore): Promise<void> {
  const frame = createFrame("weather/report", { store });
  frame.commit(
    {
      data: [
        { type: "scatter", mode: "lines", name: "max °C", x: days.map((d) => d.date), y: days.map((d) => d.temp_max) },
        { type: "scatter", mode: "lines", name: "min °C", x: days.map((d) => d.date), y: days.map((d) => d.temp_min) },
      ],
      layout: { title: { text: "Seattle temperatures, 2012–2015" } },
    },
    "Daily highs and lows",
    { Chart: { type: "tab" } },
  );
  frame.commit(days, "Every day, 2012–2015 (vega-datasets seattle-weather.csv)", { Table: { type: "tab" } });
  frame.commit(
    "## About this data\n\nDaily weather in Seattle from **2012 to 2015**: precipitation (mm), highs and lows (°C), " +
      "wind (m/s) and the kind of weather. From the `vega-datasets` package.",
    "Notes",
    { Notes: { type: "tab" } },
  );
  await frame.push({ message: "chart, table and notes" });
  await store.updateStack("weather/report", {
    readme: 'A report with **tabs**: each tab param (`{ type: "tab" }`) becomes a tab.',
  });
}

/** `flights`: a 10,000-row table. */
async function pushFlights(store: StackStore): Promise<void> {
  await pushFrame({
    stack: "flights",
    data: flights as Array<Record<string, string | number>>,
    description: "10,000 US flights (vega-datasets flights-10k.json)",
    message: "10,000 flights",
    store,
  });
}

/** `cars`: horsepower against mileage, one figure per Origin. */
async function pushCars(store: StackStore): Promise<void> {
  type Car = { Name: string; Horsepower: number | null; Miles_per_Gallon: number | null; Origin: string };
  const all = cars as Car[];
  const frame = createFrame("cars", { store });
  for (const origin of ["USA", "Europe", "Japan"]) {
    const picked = all.filter((c) => c.Origin === origin && c.Horsepower !== null && c.Miles_per_Gallon !== null);
    frame.commit(
      {
        data: [
          {
            type: "scatter",
            mode: "markers",
            x: picked.map((c) => c.Horsepower),
            y: picked.map((c) => c.Miles_per_Gallon),
            text: picked.map((c) => c.Name),
          },
        ],
        layout: {
          title: { text: `Cars from ${origin}` },
          xaxis: { title: { text: "Horsepower" } },
          yaxis: { title: { text: "Miles per gallon" } },
        },
      },
      `${picked.length} cars from ${origin}`,
      { Origin: origin },
    );
  }
  await frame.push({ message: "horsepower vs mileage" });
}

async function pushPrivateNotes(store: StackStore): Promise<void> {
  await pushFrame({
    stack: "notes/draft",
    data: "# Draft\n\nA **private** stack: on a server, only its owner and the users it is shared with see it.",
    description: "Private notes",
    message: "first draft",
    access: "private",
    store,
  });
}

export const DEMO_DASHBOARD_TITLE = "Seattle weather";

/** Pushes every demo stack and creates the demo dashboard (two cards sharing Year). */
export async function seedDemo(store: StackStore): Promise<void> {
  await pushBasics(store);
  await pushWeatherByKind(store);
  await pushPrecipitation(store);
  await pushReport(store);
  await pushCars(store);
  await pushFlights(store);
  await pushPrivateNotes(store);
  const dashboard = await store.createDashboard({
    title: DEMO_DASHBOARD_TITLE,
    description: "Temperatures and precipitation, one **Year** slider for both cards.",
  });
  await store.insertCards(store.user, dashboard.id, 0, [
    { stack: "weather/seattle", title: "Temperatures" },
    { stack: "weather/precipitation", title: "Precipitation" },
  ]);
}

/** Removes every stack and dashboard of the store's user (settings: "Reset demo data"). */
export async function clearStore(store: StackStore): Promise<void> {
  for (const dashboard of await store.listDashboards()) await store.deleteDashboard(dashboard.user, dashboard.id);
  for (const stack of await store.listStacks()) await store.deleteStack(`/${stack.path}`);
}
