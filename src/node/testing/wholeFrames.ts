// The crash tests' check, for any store the push loop (pushLoop.ts) wrote into.
import { expect } from "vitest";
import type { StackStore } from "../../model/stackStore";
import { LOOP_ATTACHMENTS, loopByte, loopLength } from "./pushLoop";

/** Every frame of "loop" the store lists is whole: each attachment reads back at its length, with its own bytes. */
export async function expectWholeFrames(store: StackStore): Promise<number> {
  const stack = await store.getStack("loop", { frames: Number.POSITIVE_INFINITY });
  expect(stack.frames.map((f) => f.id)).toContain(stack.head?.id);
  expect(stack.frameCount).toBe(stack.frames.length);
  for (const summary of stack.frames) {
    const n = Number(summary.id.replace("frame-", ""));
    const frame = await store.getFrame("loop", summary.id);
    expect(frame.attachments).toHaveLength(LOOP_ATTACHMENTS);
    for (const info of frame.attachments) {
      const bytes = new Uint8Array(await (await store.getAttachment("loop", summary.id, info.index)).arrayBuffer());
      expect(bytes.length).toBe(loopLength(info.index));
      expect(bytes.every((b) => b === loopByte(n, info.index))).toBe(true);
    }
  }
  return stack.frames.length;
}
