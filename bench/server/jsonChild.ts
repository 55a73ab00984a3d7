// The server benches' child processes: each prints one JSON line (its URLs, token...) once it listens.
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** Starts a TypeScript script of this folder in its own process (added to `children`); answers its first JSON line. */
export function startJsonChild<T>(script: string, args: string[], children: ChildProcess[]): Promise<T> {
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL(script, import.meta.url)), ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk;
      const line = out.split("\n")[0];
      if (out.includes("\n") && line) resolve(JSON.parse(line) as T);
    });
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}
