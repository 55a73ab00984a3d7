// Start TypeScript scripts in child processes (through tsx) and read what they print.
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const tsxArgs = ["--import", "tsx"];

export function scriptPath(name: string): string {
  return fileURLToPath(new URL(name, import.meta.url));
}

export interface Child {
  process: ChildProcess;
  /** Resolves with the first stdout line matching `pattern`. */
  line(pattern: RegExp, timeoutMs?: number): Promise<string>;
  output(): string;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
}

export function startChild(script: string, args: string[], env: NodeJS.ProcessEnv = process.env): Child {
  const child = spawn(process.execPath, [...tsxArgs, scriptPath(script), ...args], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  const waiting = new Set<() => void>();
  child.stdout?.on("data", (chunk: Buffer) => {
    out += chunk.toString();
    for (const check of [...waiting]) check();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    process: child,
    output: () => out + err,
    exited,
    line(pattern, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = out.split("\n").find((l) => pattern.test(l));
          if (found !== undefined) {
            waiting.delete(check);
            clearTimeout(timer);
            resolve(found);
          }
        };
        const timer = setTimeout(() => {
          waiting.delete(check);
          reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; output:\n${out}\n${err}`));
        }, timeoutMs);
        void exited.then(() => setTimeout(check, 0));
        waiting.add(check);
        check();
      });
    },
  };
}
