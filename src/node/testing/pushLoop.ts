// The body of the crash tests' child processes: pushes frames into a store until killed, so the parent can SIGKILL
// it at a random moment and check that the store shows whole frames only. With `killAt`, the process kills itself
// right after that attachment of its first frame is written.
import type { StackStore } from "../../model/stackStore";

/** Frame `frame-<n>` of stack "loop": 20 attachments, attachment i holding 50,000 + i bytes of one value. */
export const LOOP_ATTACHMENTS = 20;
export const loopLength = (i: number) => 50_000 + i;
export const loopByte = (n: number, i: number) => (n + i) % 251;

export async function pushUntilKilled(store: StackStore, killAt: string | undefined): Promise<never> {
  const parts = (n: number) =>
    Array.from({ length: LOOP_ATTACHMENTS }, (_, i) => ({
      data: new Uint8Array(loopLength(i)).fill(loopByte(n, i)),
      contentType: "application/octet-stream",
      params: { i },
    }));
  // Frames are numbered on from the ones a previous (killed) run committed.
  const start = await store.getStack("loop").then(
    (stack) => stack.frameCount,
    () => 0,
  );
  process.stdout.write("ready\n");
  for (let n = start; ; n++) {
    await store.push(
      { stack: "loop", id: `frame-${n}`, attachments: parts(n) },
      {
        onProgress: (done) => {
          if (killAt !== undefined && done === Number(killAt)) process.kill(process.pid, "SIGKILL");
        },
      },
    );
    process.stdout.write(`pushed ${n}\n`);
  }
}
