import { useId, useState } from "react";
import type { Connection } from "../connection";

interface Snippet {
  label: string;
  code: string;
}

/** How to push a first stack into the store the app reads, with its server and user filled in. */
export function pushSnippets(connection: Connection): Snippet[] {
  const { user } = connection;
  if (connection.mode === "browser") {
    return [
      {
        label: "TypeScript",
        code: `// in any page served from ${location.origin}
import { createFrame } from "dstack-kit";

const frame = createFrame("line_plot"); // this browser's IndexedDB
for (const c of [0.5, 1, 1.5, 2]) {
  const x = [0, 1, 2, 3, 4, 5];
  frame.commit({ data: [{ type: "scatter", x, y: x.map((v) => c * v) }] }, \`a = \${c}\`, { Coefficient: c });
}
await frame.push({ message: "my first stack" });`,
      },
      {
        label: "Python",
        code: `# Python and the CLI push to a dstack server, not to this browser. In a terminal:
#   npx dstack server start        (prints a login URL and a \`dstack config add --token ...\` line: run it)
#   pip install dstack
# then open the login URL (or pick the server in Settings) and push:
import dstack as ds
import plotly.express as px

ds.push_frame("my_plot", px.scatter(x=[1, 2, 3], y=[1, 4, 9]), "My first plot")`,
      },
      {
        label: "CLI",
        code: `npx dstack server start      # prints a login URL and a config command
npx dstack config add --token TOKEN --user dstack --server http://localhost:8080/api
npx dstack push data.csv my_data --description "My first dataset"`,
      },
    ];
  }
  const server = connection.server ?? `${location.origin}/api`;
  return [
    {
      label: "TypeScript",
      code: `import { createFrame, createHttpStore } from "dstack-kit";

const store = createHttpStore({ server: "${server}", user: "${user}", token: process.env.DSTACK_TOKEN! });
const frame = createFrame("line_plot", { store });
for (const c of [0.5, 1, 1.5, 2]) {
  const x = [0, 1, 2, 3, 4, 5];
  frame.commit({ data: [{ type: "scatter", x, y: x.map((v) => c * v) }] }, \`a = \${c}\`, { Coefficient: c });
}
await frame.push({ message: "my first stack" });`,
    },
    {
      label: "Python",
      code: `# In a terminal first (TOKEN: the token \`dstack server start\` printed for ${user}):
#   pip install dstack
#   npx dstack config add --token TOKEN --user ${user} --server ${server}
import dstack as ds
import plotly.express as px
ds.push_frame("my_plot", px.scatter(x=[1, 2, 3], y=[1, 4, 9]), "My first plot")`,
    },
    {
      label: "CLI",
      code: `npx dstack config add --token TOKEN --user ${user} --server ${server}
npx dstack push data.csv my_data --description "My first dataset"`,
    },
  ];
}

/** Code blocks in tabs, each with a copy button. */
export function Snippets({ snippets }: { snippets: Snippet[] }) {
  const [active, setActive] = useState(0);
  const [copied, setCopied] = useState<number | null>(null);
  const id = useId();
  const current = snippets[active]!;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(current.code);
      setCopied(active);
    } catch {
      setCopied(null);
    }
  };
  const onKeyDown = (event: React.KeyboardEvent) => {
    const last = snippets.length - 1;
    const next =
      event.key === "ArrowRight"
        ? active === last
          ? 0
          : active + 1
        : event.key === "ArrowLeft"
          ? active === 0
            ? last
            : active - 1
          : event.key === "Home"
            ? 0
            : event.key === "End"
              ? last
              : null;
    if (next === null) return;
    event.preventDefault();
    setActive(next);
    document.getElementById(`${id}-tab-${next}`)?.focus();
  };
  return (
    <div className="app-snippets">
      <div role="tablist" aria-label="Push with" className="app-snippet-tabs" onKeyDown={onKeyDown}>
        {snippets.map((snippet, i) => (
          <button
            key={snippet.label}
            id={`${id}-tab-${i}`}
            type="button"
            role="tab"
            aria-selected={i === active}
            aria-controls={`${id}-panel`}
            tabIndex={i === active ? 0 : -1}
            className="app-snippet-tab"
            onClick={() => setActive(i)}
          >
            {snippet.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-tab-${active}`} className="app-snippet-panel">
        <pre>
          <code>{current.code}</code>
        </pre>
        <button type="button" className="app-button app-copy" onClick={copy}>
          {copied === active ? "Copied" : `Copy ${current.label}`}
        </button>
        <span className="app-visually-hidden" aria-live="polite">
          {copied === active ? `${current.label} snippet copied` : ""}
        </span>
      </div>
    </div>
  );
}
