// Growing typed arrays by copying into a larger one. Per-row arrays grow to exactly the capacity the reader
// planned from its row estimate (growth is rare); byte pools, whose size nothing predicts, grow geometrically.

export function nextCapacity(current: number, needed: number): number {
  return Math.max(needed, Math.ceil(current * 1.5) + 16);
}

/**
 * `array` with room for `needed` elements, exactly: adding 50% here on top of the reader's estimate left a third
 * of a 100 MiB parse's columns unused, and then copied again to trim them.
 */
export function growUint32(array: Uint32Array, needed: number): Uint32Array {
  if (array.length >= needed) return array;
  const out = new Uint32Array(needed);
  out.set(array);
  return out;
}

export function growFloat64(array: Float64Array, needed: number): Float64Array {
  if (array.length >= needed) return array;
  const out = new Float64Array(needed);
  out.set(array);
  return out;
}

/**
 * `array` cut to `length` elements. When the spare capacity is small (the usual case: columns are sized from a
 * row estimate) this is a view on the same buffer, which avoids copying every column at the end of a parse;
 * when it is large (the column grew), a copy, so that no big unused buffer is kept or transferred.
 */
export function exact<T extends Float64Array | Uint8Array | Uint32Array>(array: T, length: number): T {
  if (array.length === length) return array;
  const spare = array.length - length;
  return (spare <= Math.max(64, length >>> 4) ? array.subarray(0, length) : array.slice(0, length)) as T;
}
