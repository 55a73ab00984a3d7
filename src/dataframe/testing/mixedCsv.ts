// The mixed CSV of the benchmark and the browser tests, generated deterministically (seeded PRNG) anywhere.
// Columns: int id, two floats (one with 10% missing), a bool (pandas' True/False), an ISO date-time, a 12-value
// category, a high-cardinality name, and a free-text column where a quarter of the values need quotes
// (commas, doubled quotes, line breaks).
import { seededRandom } from "./tables";

const CATEGORIES = [
  "north",
  "south",
  "east",
  "west",
  "central",
  "harbour",
  "airport",
  "old town",
  "uptown",
  "riverside",
  "hills",
  "industrial",
];
const WORDS = [
  "alpha",
  "bravo",
  "charlie",
  "delta",
  "echo",
  "foxtrot",
  "golf",
  "hotel",
  "india",
  "juliet",
  "kilo",
  "lima",
];

export const MIXED_HEADER = "id,price,score,active,when,region,name,comment\n";

/** Yields the CSV in chunks of 200 rows (the header first) until about `bytes` characters (ASCII = bytes). */
export function* mixedCsvChunks(bytes: number, seed = 42): Generator<string> {
  const rand = seededRandom(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)] as T;
  const start = Date.UTC(2015, 0, 1);
  let written = MIXED_HEADER.length;
  let rows = 0;
  yield MIXED_HEADER;
  while (written < bytes) {
    let chunk = "";
    for (let k = 0; k < 200; k++) {
      rows++;
      const price = (rand() * 10_000).toFixed(2);
      const score = rand() < 0.1 ? "" : ((rand() - 0.5) * 2e6).toPrecision(7);
      const active = rand() < 0.5 ? "True" : "False";
      const when = new Date(start + Math.floor(rand() * 3e11)).toISOString().slice(0, 19);
      const name = `user_${Math.floor(rand() * 1e8).toString(36)}`;
      const words = Array.from({ length: 1 + Math.floor(rand() * 4) }, () => pick(WORDS));
      let comment = words.join(" ");
      const r = rand();
      if (r < 0.1) comment = `"${comment}, ${words[0]}"`;
      else if (r < 0.2) comment = `"say ""${comment}"""`;
      else if (r < 0.25) comment = `"${comment}\n${words[0]}"`;
      chunk += `${rows},${price},${score},${active},${when},${pick(CATEGORIES)},${name},${comment}\n`;
    }
    written += chunk.length;
    yield chunk;
  }
}

/**
 * The whole mixed CSV of about `bytes` bytes as UTF-8, encoded chunk by chunk into one buffer: little garbage
 * is left behind (browser tests measure the main thread right after).
 */
export function mixedCsvBytes(bytes: number, seed = 42): Uint8Array<ArrayBuffer> {
  const encoder = new TextEncoder();
  let out = new Uint8Array(bytes + 64 * 1024);
  let at = 0;
  for (const chunk of mixedCsvChunks(bytes, seed)) {
    if (at + chunk.length > out.length) {
      const bigger = new Uint8Array(Math.max(out.length * 2, at + chunk.length));
      bigger.set(out.subarray(0, at));
      out = bigger;
    }
    at += encoder.encodeInto(chunk, out.subarray(at)).written;
  }
  return out.slice(0, at);
}
