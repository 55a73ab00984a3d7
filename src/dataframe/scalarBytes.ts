// Fast paths that read numbers, booleans and ISO dates straight from UTF-8 bytes, without making strings.
// Each one accepts a subset of what readCsv's string functions accept and returns exactly what they would;
// anything outside the subset (spaces, inf/nan, time zone offsets, long mantissas...) reports "not handled"
// and the caller falls back to the string functions, so the semantics stay readCsv's.

/** Powers of ten that are exact doubles: with a mantissa below 2^53 one multiply or divide rounds correctly. */
const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
  1e21, 1e22,
];

/**
 * Reads a decimal literal `[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?` starting at `start`, stopping at the first byte
 * that cannot continue it (or at `limit`). Stores the value in `out[row]` and returns the index after the literal;
 * returns -1 if there is no literal at `start` or it needs the slow path (more than 15 significant digits or a
 * decimal exponent beyond ±22), or if `integerOnly` and the literal has a fraction or an exponent (`int*` schema
 * columns send those to the slow path). The caller checks that the literal fills the whole field.
 */
export function scanNumber(
  bytes: Uint8Array,
  start: number,
  limit: number,
  out: Float64Array,
  row: number,
  integerOnly = false,
): number {
  let i = start;
  if (i >= limit) return -1;
  let b = bytes[i] as number;
  let negative = false;
  if (b === 45 /* - */) {
    negative = true;
    if (++i >= limit) return -1;
    b = bytes[i] as number;
  } else if (b === 43 /* + */) {
    if (++i >= limit) return -1;
    b = bytes[i] as number;
  }
  // Significant digits go into a small integer, nine at a time (below 2^31, so V8 keeps it an int32), folded
  // into `high` after each nine: a double multiply-add per digit cost Chromium 81 ns per 10-digit decimal.
  // Leading zeros are skipped before the digit loops, so that each loop tests a digit with one subtraction and
  // counts nothing but the nine (digit counts come from positions): airports.csv's decimals 57 -> 44 ns each.
  const first = i;
  while (b === 48 /* 0 */) {
    if (++i >= limit) break;
    b = bytes[i] as number;
  }
  let high = 0;
  let low = 0;
  let inLow = 0;
  const integerStart = i;
  let d = i < limit ? b - 48 : -1;
  while (d >= 0 && d <= 9) {
    low = low * 10 + d;
    if (++inLow === 9) {
      high = high * 1e9 + low;
      low = 0;
      inLow = 0;
    }
    if (++i >= limit) {
      d = -1;
      break;
    }
    d = (bytes[i] as number) - 48;
  }
  let significant = i - integerStart;
  let digits = i - first;
  let scale = 0;
  let integer = true;
  if (d === -2 /* . */) {
    integer = false;
    i++;
    const fractionStart = i;
    // Zeros after the point count toward the scale but are not significant while nothing came before them.
    if (significant === 0) while (i < limit && bytes[i] === 48) i++;
    const fractionDigits = i;
    while (i < limit) {
      d = (bytes[i] as number) - 48;
      if (d < 0 || d > 9) break;
      low = low * 10 + d;
      if (++inLow === 9) {
        high = high * 1e9 + low;
        low = 0;
        inLow = 0;
      }
      i++;
    }
    scale = i - fractionStart;
    digits += scale;
    significant += i - fractionDigits;
  }
  if (digits === 0) return -1;
  let exponent = 0;
  if (i < limit && (bytes[i] === 101 || bytes[i] === 69) /* e E */) {
    let j = i + 1;
    let expNegative = false;
    if (j < limit && (bytes[j] === 45 || bytes[j] === 43)) {
      expNegative = bytes[j] === 45;
      j++;
    }
    const expStart = j;
    while (j < limit) {
      b = bytes[j] as number;
      if (b < 48 || b > 57) break;
      if (exponent < 100_000) exponent = exponent * 10 + (b - 48);
      j++;
    }
    // "1e" or "1e+" is not a number at all: the caller's slow path will say so.
    if (j === expStart) return -1;
    integer = false;
    if (expNegative) exponent = -exponent;
    i = j;
  }
  if (significant > 15 || (integerOnly && !integer)) return -1;
  // At most 15 significant digits: exact below 2^53.
  const mantissa = high * (POW10[inLow] as number) + low;
  let value: number;
  if (mantissa === 0) value = 0;
  else {
    const e10 = exponent - scale;
    if (e10 < -22 || e10 > 22) return -1;
    value = e10 >= 0 ? mantissa * (POW10[e10] as number) : mantissa / (POW10[-e10] as number);
  }
  out[row] = negative ? -value : value;
  return i;
}

/** 1 for `true`, 0 for `false` (any case) filling `[start, end)` exactly, -1 otherwise. */
export function scanBoolean(bytes: Uint8Array, start: number, end: number): number {
  const length = end - start;
  if (length === 4) {
    if (
      ((bytes[start] as number) | 32) === 116 &&
      ((bytes[start + 1] as number) | 32) === 114 &&
      ((bytes[start + 2] as number) | 32) === 117 &&
      ((bytes[start + 3] as number) | 32) === 101
    ) {
      return 1;
    }
  } else if (length === 5) {
    if (
      ((bytes[start] as number) | 32) === 102 &&
      ((bytes[start + 1] as number) | 32) === 97 &&
      ((bytes[start + 2] as number) | 32) === 108 &&
      ((bytes[start + 3] as number) | 32) === 115 &&
      ((bytes[start + 4] as number) | 32) === 101
    ) {
      return 0;
    }
  }
  return -1;
}

function twoDigits(bytes: Uint8Array, at: number): number {
  const a = (bytes[at] as number) - 48;
  const b = (bytes[at + 1] as number) - 48;
  if (a < 0 || a > 9 || b < 0 || b > 9) return -1;
  return a * 10 + b;
}

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil), for years 0-9999 (what
 * four digits spell): every quantity stays a small non-negative integer, so each division is an integer one
 * (`/ k | 0`). With Math.floor on doubles this was 12% of reading seattle-weather-hourly-normals.csv in Chromium.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  // From March: the leap day ends the year. Shifted by 400 years so that year 0's January stays non-negative.
  const y = (month <= 2 ? year - 1 : year) + 400;
  const era = (y / 400) | 0;
  const yearOfEra = y - era * 400;
  const dayOfYear = (((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) | 0) + day - 1;
  const dayOfEra = yearOfEra * 365 + (yearOfEra >> 2) - ((yearOfEra / 100) | 0) + dayOfYear;
  return (era - 1) * 146_097 + dayOfEra - 719_468;
}

/**
 * Reads `YYYY-MM-DD` optionally followed by `T`/`t`/space and `HH:MM[:SS[.fraction]]` and an optional `Z`/`z`,
 * filling `[start, end)` exactly, and stores its epoch ms in `out[row]`. False when the bytes are not in that form
 * or name no real date/time (the caller then asks parseIsoDate, which also knows offsets and spaces).
 */
export function scanDate(bytes: Uint8Array, start: number, end: number, out: Float64Array, row: number): boolean {
  return scanDateAt(bytes, start, end, out, row) === end;
}

/**
 * scanDate on a field whose end is not known yet: reads the date/time at `start` (not past `limit`), stores its
 * epoch ms in `out[row]` and returns the index after it, or -1 (maybe storing NaN) if there is none there. The
 * caller checks that it fills the field: the reader then finds a date field's end as it parses it.
 * Writes into `out` rather than returning a double: a returned double would be boxed on every call.
 */
export function scanDateAt(bytes: Uint8Array, start: number, limit: number, out: Float64Array, row: number): number {
  if (limit - start < 10 || bytes[start + 4] !== 45 || bytes[start + 7] !== 45) return -1;
  const hi = twoDigits(bytes, start);
  const lo = twoDigits(bytes, start + 2);
  const month = twoDigits(bytes, start + 5);
  const day = twoDigits(bytes, start + 8);
  if (hi < 0 || lo < 0 || month < 1 || month > 12 || day < 1) return -1;
  const year = hi * 100 + lo;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (day > (month === 2 && leap ? 29 : (DAYS_IN_MONTH[month] as number))) return -1;
  let ms = daysFromCivil(year, month, day) * 86_400_000;
  let i = start + 10;
  if (i < limit) {
    const sep = bytes[i] as number;
    if (sep === 84 || sep === 116 || sep === 32) {
      if (limit - i < 6 || bytes[i + 3] !== 58) return -1;
      const hour = twoDigits(bytes, i + 1);
      const minute = twoDigits(bytes, i + 4);
      if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return -1;
      ms += hour * 3_600_000 + minute * 60_000;
      i += 6;
      if (i < limit && bytes[i] === 58 /* : */) {
        if (limit - i < 3) return -1;
        const second = twoDigits(bytes, i + 1);
        if (second < 0 || second > 59) return -1;
        ms += second * 1000;
        i += 3;
        if (i < limit && bytes[i] === 46 /* . */) {
          // Up to nine fraction digits, cut (not rounded) to milliseconds.
          let j = i + 1;
          let fraction = 0;
          while (j < limit && j - i <= 9) {
            const d = (bytes[j] as number) - 48;
            if (d < 0 || d > 9) break;
            if (j - i <= 3) fraction = fraction * 10 + d;
            j++;
          }
          const count = j - i - 1;
          if (count === 0) return -1;
          if (count < 3) fraction *= count === 1 ? 100 : 10;
          ms += fraction;
          i = j;
        }
      }
    }
    if (i < limit && (bytes[i] === 90 || bytes[i] === 122) /* Z z */) i++;
  }
  out[row] = ms;
  return i;
}
