// Stacks and dashboards for the Dashboard stories, from vega-datasets: two cars stacks sharing Origin (each with a
// param of its own), weather stacks whose tabs choose cards, and twenty gapminder countries over one Year slider.
import { createFrame } from "../../src/client/frame";
import { parseStackPath } from "../../src/model/stackPath";
import type { StackStore } from "../../src/model/stackStore";
import type { CardInit, Dashboard, DashboardPatch } from "../../src/model/types";
import { createMemoryStore } from "../../src/storage/memoryStore";
import { CYLINDERS, carsFigure, ORIGINS, pushBroken } from "./showcase";
import { carRows, countryRows, weatherRows } from "./vegaData";

/** `cars/scatter`: a plotly scatter per Origin (shared with cars/table) and Log scale (its own). */
export async function pushCarsScatter(store: StackStore): Promise<void> {
  const frame = createFrame("cars/scatter", { store });
  for (const origin of ORIGINS) {
    const cars = carRows.filter((c) => c.Origin === origin);
    for (const log of [false, true]) {
      const title = `Cars from ${origin}${log ? " (log)" : ""}`;
      frame.commit(carsFigure(cars, log, title), `Scatter: ${origin}${log ? ", log axis" : ""}`, {
        Origin: origin,
        "Log scale": log,
      });
    }
  }
  await frame.push({ message: "horsepower vs mpg" });
}

/** `cars/table`: a table per Origin (shared) and Cylinders (its own slider), only the pairs that have cars. */
export async function pushCarsTable(store: StackStore): Promise<void> {
  const frame = createFrame("cars/table", { store });
  for (const origin of ORIGINS) {
    for (const cylinders of CYLINDERS) {
      const cars = carRows.filter((c) => c.Origin === origin && c.Cylinders === cylinders);
      if (cars.length === 0) continue;
      const rows = cars.map((c) => ({ Name: c.Name, Horsepower: c.Horsepower, Miles_per_Gallon: c.Miles_per_Gallon }));
      frame.commit(rows, `Table: ${origin}, ${cylinders} cylinders (${cars.length} cars)`, {
        Origin: origin,
        Cylinders: cylinders,
      });
    }
  }
  await frame.push({ message: "cars by origin and cylinders" });
}

const days = weatherRows.map((d) => d.date.toISOString().slice(0, 10));

/** Weather stacks whose tab params choose cards: Chart only, Table only, both, and notes without tabs. */
export async function pushWeatherTabs(store: StackStore): Promise<void> {
  const temperature = createFrame("weather/temperature", { store });
  temperature.commit(
    {
      data: [
        { type: "scatter", mode: "lines", name: "max", x: days, y: weatherRows.map((d) => d.temp_max) },
        { type: "scatter", mode: "lines", name: "min", x: days, y: weatherRows.map((d) => d.temp_min) },
      ],
      layout: { title: { text: "Temperature (°C)" } },
    },
    "Temperature chart",
    { Chart: { type: "tab" } },
  );
  const daily = createFrame("weather/days", { store });
  daily.commit(weatherRows, "Every day as a table", { Table: { type: "tab" } });
  const wind = createFrame("weather/wind", { store });
  wind.commit(
    {
      data: [{ type: "scatter", mode: "lines", x: days, y: weatherRows.map((d) => d.wind) }],
      layout: { title: { text: "Wind (m/s)" } },
    },
    "Wind chart",
    { Chart: { type: "tab" } },
  );
  wind.commit(
    weatherRows.map((d) => ({ date: d.date, wind: d.wind })),
    "Wind table",
    { Table: { type: "tab" } },
  );
  const notes = createFrame("weather/notes", { store });
  notes.commit("Seattle weather, 2012–2015, from `seattle-weather.csv`.", "Notes (no tabs: shown on every tab)");
  await Promise.all([
    temperature.push({ message: "chart" }),
    daily.push({ message: "table" }),
    wind.push({ message: "chart and table" }),
    notes.push({ message: "notes" }),
  ]);
}

/** The first twenty gapminder countries (alphabetically): one stack each, a table per census year. */
export const TWENTY_COUNTRIES = [...new Set(countryRows.map((r) => r.country))].sort().slice(0, 20);
export const YEARS = [...new Set(countryRows.map((r) => r.year))].sort((a, b) => a - b);

export const countryStack = (country: string) => `gapminder/${country.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;

export async function pushTwentyCountries(store: StackStore): Promise<void> {
  await Promise.all(
    TWENTY_COUNTRIES.map((country) => {
      const frame = createFrame(countryStack(country), { store });
      for (const year of YEARS) {
        const rows = countryRows
          .filter((r) => r.country === country && r.year === year)
          .map((r) => ({ population: r.pop, life_expect: r.life_expect, fertility: r.fertility }));
        frame.commit(rows, `${country} in ${year}`, { Year: year });
      }
      return frame.push({ message: "gapminder" });
    }),
  );
}

let stacks: Promise<StackStore> | undefined;

/** One memory store with every stack above plus the showcase's corrupt ones (pushed once, shared by the stories). */
export function dashboardStacks(): Promise<StackStore> {
  stacks ??= (async () => {
    const store = createMemoryStore();
    await Promise.all([
      pushCarsScatter(store),
      pushCarsTable(store),
      pushWeatherTabs(store),
      pushTwentyCountries(store),
      pushBroken(store),
    ]);
    return store;
  })();
  return stacks;
}

/** A new dashboard in `store` with these cards (stack names relative to the store's user). */
export async function seedDashboard(store: StackStore, init: DashboardPatch, cards: CardInit[]): Promise<Dashboard> {
  const dashboard = await store.createDashboard(init);
  if (cards.length === 0) return dashboard;
  return store.insertCards(dashboard.user, dashboard.id, 0, cards);
}

/** `user/name` of a stack name relative to the store's user, as cards and `data-stack` hold it. */
export const fullPath = (store: StackStore, stack: string) => parseStackPath(stack, store.user).path;
