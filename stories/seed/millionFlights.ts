// Only a JSON import (no Vite-only `?url`/`?raw`), so esbuild-bundled browser benches can use it too.
import flights from "../../node_modules/vega-datasets/data/flights-2k.json";
import type { ColumnTable } from "../../src/model/columnTable";

interface Flight {
  date: string;
  delay: number;
  distance: number;
  origin: string;
  destination: string;
}
const flightRows = flights as Flight[];

/** flights-2k tiled to `rows` rows (dates shifted by a day per tile), as a ColumnTable built column by column. */
export function millionFlights(rows = 1_000_000): ColumnTable {
  const base = flightRows.length;
  const date = new Float64Array(rows);
  const delay = new Float64Array(rows);
  const distance = new Float64Array(rows);
  const airports = [...new Set(flightRows.flatMap((f) => [f.origin, f.destination]))].sort();
  const code = new Map(airports.map((a, i) => [a, i]));
  const origin = new Uint32Array(rows);
  const destination = new Uint32Array(rows);
  const parsed = flightRows.map((f) => Date.parse(`${f.date.replaceAll("/", "-").replace(" ", "T")}:00Z`));
  for (let r = 0; r < rows; r++) {
    const f = flightRows[r % base] as (typeof flightRows)[number];
    date[r] = (parsed[r % base] as number) + Math.floor(r / base) * 86_400_000;
    delay[r] = f.delay;
    distance[r] = f.distance;
    origin[r] = code.get(f.origin) as number;
    destination[r] = code.get(f.destination) as number;
  }
  return {
    rowCount: rows,
    columns: [
      { name: "date", type: "date", values: date },
      { name: "delay", type: "number", values: delay },
      { name: "distance", type: "number", values: distance },
      { name: "origin", type: "string", values: origin, dictionary: airports },
      { name: "destination", type: "string", values: destination, dictionary: airports },
    ],
  };
}
