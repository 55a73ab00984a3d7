/// <reference types="vite/client" />
// Real datasets from the vega-datasets package (read from node_modules at build time: the package's own entry
// fetches them from a CDN, which stories and tests must not depend on).

import sevenZipUrl from "../../node_modules/vega-datasets/data/7zip.png?url";
import cars from "../../node_modules/vega-datasets/data/cars.json";
import firefoxUrl from "../../node_modules/vega-datasets/data/ffox.png?url";
import flights from "../../node_modules/vega-datasets/data/flights-2k.json";
import flightsArrowUrl from "../../node_modules/vega-datasets/data/flights-200k.arrow?url";
import gapminder from "../../node_modules/vega-datasets/data/gapminder.json";
import gimpUrl from "../../node_modules/vega-datasets/data/gimp.png?url";
import seattleCsv from "../../node_modules/vega-datasets/data/seattle-weather.csv?raw";
import volcano from "../../node_modules/vega-datasets/data/volcano.json";

export interface Car {
  Name: string;
  Miles_per_Gallon: number | null;
  Cylinders: number;
  Horsepower: number | null;
  Weight_in_lbs: number;
  Year: string;
  Origin: string;
}
export interface Country {
  year: number;
  country: string;
  pop: number;
  life_expect: number;
  fertility: number;
}
export interface Flight {
  date: string;
  delay: number;
  distance: number;
  origin: string;
  destination: string;
}
export interface WeatherDay {
  date: Date;
  precipitation: number;
  temp_max: number;
  temp_min: number;
  wind: number;
  weather: string;
}

export const carRows = cars as Car[];
export const countryRows = gapminder as Country[];
export const flightRows = flights as Flight[];
export const volcanoGrid = volcano as { width: number; height: number; values: number[] };

/** seattle-weather.csv as typed rows (the file has no quoted fields). */
export const weatherRows: WeatherDay[] = seattleCsv
  .trim()
  .split("\n")
  .slice(1)
  .map((line) => {
    const [date, precipitation, temp_max, temp_min, wind, weather] = line.split(",");
    return {
      date: new Date(`${date}T00:00:00Z`),
      precipitation: Number(precipitation),
      temp_max: Number(temp_max),
      temp_min: Number(temp_min),
      wind: Number(wind),
      weather: String(weather),
    };
  });

async function bytesOf(url: string): Promise<Uint8Array> {
  return new Uint8Array(await (await fetch(url)).arrayBuffer());
}

/** The three 100×100 PNG logos of vega-datasets. */
export async function logoImages(): Promise<Array<{ name: string; bytes: Uint8Array }>> {
  return Promise.all(
    [
      ["7-Zip", sevenZipUrl],
      ["Firefox", firefoxUrl],
      ["GIMP", gimpUrl],
    ].map(async ([name, url]) => ({ name: name as string, bytes: await bytesOf(url as string) })),
  );
}

/** flights-200k.arrow: a real file in a format the kit has no preview for. */
export function flightsArrow(): Promise<Uint8Array> {
  return bytesOf(flightsArrowUrl);
}
