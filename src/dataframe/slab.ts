// Small typed arrays carved out of shared chunks. A table of 150,000 columns needs a few small buffers per
// column; as typed arrays of their own, each costs an ArrayBuffer (~200 bytes of objects and GC work per buffer),
// which made wide tables many times slower per byte than narrow ones. Views on a shared chunk avoid that.
// Arrays above SMALL_BYTES (every column of a long table) are allocated on their own as before.

/** Arrays up to this size come from a chunk. */
const SMALL_BYTES = 256;
/** Chunks start small (a tiny table keeps little) and double up to this size. */
const MAX_CHUNK = 64 * 1024;

export class Slab {
  private chunk: ArrayBuffer = new ArrayBuffer(0);
  private used = 0;

  /** Zeroed bytes from the current chunk; `bytes` is a multiple of 8 (every view stays aligned). */
  private take(bytes: number): number {
    if (this.used + bytes > this.chunk.byteLength) {
      this.chunk = new ArrayBuffer(Math.min(MAX_CHUNK, Math.max(1024, 2 * this.chunk.byteLength)));
      this.used = 0;
    }
    const at = this.used;
    this.used += bytes;
    return at;
  }

  u8(length: number): Uint8Array {
    if (length > SMALL_BYTES) return new Uint8Array(length);
    const at = this.take((length + 7) & ~7);
    return new Uint8Array(this.chunk, at, length);
  }

  u32(length: number): Uint32Array {
    if (length * 4 > SMALL_BYTES) return new Uint32Array(length);
    const at = this.take((length * 4 + 7) & ~7);
    return new Uint32Array(this.chunk, at, length);
  }

  i32(length: number): Int32Array {
    if (length * 4 > SMALL_BYTES) return new Int32Array(length);
    const at = this.take((length * 4 + 7) & ~7);
    return new Int32Array(this.chunk, at, length);
  }

  f64(length: number): Float64Array {
    if (length * 8 > SMALL_BYTES) return new Float64Array(length);
    const at = this.take(length * 8);
    return new Float64Array(this.chunk, at, length);
  }
}
