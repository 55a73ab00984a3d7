import { useState } from "react";
import type { Params } from "../../model/params";
import { pythonPull, typescriptPull } from "./apiSnippets";

export interface ApiPanelProps {
  path: string;
  params: Params;
  frameId?: string | undefined;
}

function CodeBlock({ title, code }: { title: string; code: string }) {
  const [copied, setCopied] = useState<"idle" | "copied" | "failed">("idle");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(code);
      setCopied("copied");
    } catch {
      setCopied("failed");
    }
  };
  return (
    <div className="dk-api__block">
      <div className="dk-api__bar">
        <span className="dk-api__lang">{title}</span>
        <button type="button" className="dk-button dk-button--small" onClick={copy}>
          Copy<span className="dk-visually-hidden"> {title} code</span>
        </button>
        <span className="dk-api__status" aria-live="polite">
          {copied === "copied" ? "Copied" : copied === "failed" ? "Copy failed: select the code instead" : ""}
        </span>
      </div>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard */}
      <pre className="dk-api__code" tabIndex={0}>
        <code>{code}</code>
      </pre>
    </div>
  );
}

/** "Use via API": the `pull` call for the attachment on screen, in TypeScript and Python, ready to copy. */
export function ApiPanel({ path, params, frameId }: ApiPanelProps) {
  const input = { path, params, frameId };
  return (
    <details className="dk-api">
      <summary className="dk-api__summary">Use via API</summary>
      <CodeBlock title="TypeScript" code={typescriptPull(input)} />
      <CodeBlock title="Python" code={pythonPull(input)} />
    </details>
  );
}
