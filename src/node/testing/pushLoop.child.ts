// Pushes frames into a file store until killed: the parent SIGKILLs it at a random moment, then checks that the
// store shows whole frames only. Usage: node --import tsx pushLoop.child.ts HOME [killAtAttachment]
// With killAtAttachment, the process kills itself right after that attachment of its first frame is written.
import { createFileStore } from "../fileStore";

const [home, killAt] = process.argv.slice(2);
if (!home) throw new Error("usage: pushLoop.child.ts HOME [killAtAttachment]");
const store = createFileStore({ home, user: "crash" });
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
