// A plain-text upload progress bar on stderr: redrawn in place on a terminal (at most every 100 ms), a line per
// quarter otherwise (logs, CI, tests). No dependency.

const WIDTH = 30;

function mb(bytes: number): string {
  return (bytes / 1_000_000).toFixed(1);
}

export interface ProgressBar {
  update(sent: number, total: number): void;
  done(): void;
}

export function createProgressBar(
  label: string,
  stream: { write(text: string): unknown; isTTY?: boolean } = process.stderr,
): ProgressBar {
  let lastDraw = 0;
  let lastQuarter = -1;
  let drawn = false;
  const line = (sent: number, total: number) => {
    const ratio = total > 0 ? Math.min(1, sent / total) : 1;
    const filled = Math.round(ratio * WIDTH);
    const percent = String(Math.floor(ratio * 100)).padStart(3);
    return `${label} [${"#".repeat(filled)}${".".repeat(WIDTH - filled)}] ${percent}% ${mb(sent)}/${mb(total)} MB`;
  };
  return {
    update(sent, total) {
      if (stream.isTTY) {
        const now = Date.now();
        if (now - lastDraw < 100 && sent < total) return;
        lastDraw = now;
        stream.write(`\r${line(sent, total)}`);
        drawn = true;
        return;
      }
      const quarter = total > 0 ? Math.floor((sent / total) * 4) : 4;
      if (quarter === lastQuarter) return;
      lastQuarter = quarter;
      stream.write(`${line(sent, total)}\n`);
    },
    done() {
      if (drawn) stream.write("\n");
    },
  };
}
