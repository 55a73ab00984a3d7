// The body of the crash tests' child processes: pushes frames into a store until killed, so the parent can SIGKILL
// it at a random moment and check that the store shows whole frames only. With `killAt`, the process kills itself
// right after that attachment of its first frame is written.
import type { StackStore } from "../../model/stackStore";

export async function pushUntilKilled(store: StackStore, killAt: string | undefined): Promise<never> {
  const parts = (n: number) =>
    Array.from({ length: 20 }, (_, i) => ({
      data: new Uint8Array(50_000 + i).fill((n + i) % 251),
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
