import type { AttachmentInfo, StackSummary } from "dstack-kit";
import { ErrorState, Skeleton, useStack, useStacks } from "dstack-kit/react";
import { useMemo, useState } from "react";
import type { AppState } from "../App";
import { stackUrl } from "../router";
import { Link } from "./Link";
import { pushSnippets, Snippets } from "./Snippets";
import { formatTime } from "./time";

/** The user's stacks, newest head first, with a search box. */
export function StacksPage({ state }: { state: AppState }) {
  const { connection } = state;
  const stacks = useStacks(connection.user);
  const [query, setQuery] = useState("");
  const sorted = useMemo(
    () => [...(stacks.data ?? [])].sort((a, b) => (b.head?.timestamp ?? 0) - (a.head?.timestamp ?? 0)),
    [stacks.data],
  );
  const needle = query.trim().toLowerCase();
  const shown = needle
    ? sorted.filter((s) => s.name.toLowerCase().includes(needle) || s.head?.message?.toLowerCase().includes(needle))
    : sorted;

  return (
    <section aria-labelledby="stacks-title">
      <div className="app-page-head">
        <h1 id="stacks-title">Stacks</h1>
        {sorted.length > 0 && (
          <input
            type="search"
            className="app-input app-search"
            placeholder="Search stacks"
            aria-label="Search stacks"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
        )}
      </div>
      {stacks.isPending ? (
        <Skeleton variant="header" label="Loading stacks…" />
      ) : stacks.isError ? (
        <ErrorState error={stacks.error} onRetry={() => stacks.refetch()} />
      ) : sorted.length === 0 ? (
        <EmptyStacks state={state} />
      ) : (
        <>
          <p className="app-muted" aria-live="polite">
            {needle ? `${shown.length} of ${sorted.length} stacks match “${query.trim()}”` : `${sorted.length} stacks`}
          </p>
          <ul className="app-list">
            {shown.map((stack) => (
              <StackRow key={stack.path} stack={stack} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function kindOf(attachment: AttachmentInfo): string {
  const app = attachment.application ?? "";
  const type = attachment.contentType;
  if (app.startsWith("plotly") || app === "plotly") return "plot";
  if (app.startsWith("bokeh")) return "plot";
  if (app.includes("dataframe") || app.includes("series") || type === "text/csv") return "table";
  if (type.startsWith("image/")) return "image";
  if (type === "text/markdown") return "markdown";
  if (type.startsWith("text/")) return "text";
  return "file";
}

function StackRow({ stack }: { stack: StackSummary }) {
  const info = useStack(`/${stack.path}`);
  const head = info.data?.head;
  const kinds = head ? [...new Set(head.attachments.map(kindOf))] : [];
  const params = head ? [...new Set(head.attachments.flatMap((a) => Object.keys(a.params)))] : [];
  return (
    <li className="app-card app-stack-row">
      <div className="app-row-title">
        <Link to={stackUrl(stack.path)} className="app-row-link">
          {stack.name}
        </Link>
        {stack.private && <span className="app-badge">Private</span>}
      </div>
      <p className="app-row-message">{stack.head?.message || <span className="app-muted">No message</span>}</p>
      <p className="app-row-meta">
        {stack.head && (
          <time dateTime={new Date(stack.head.timestamp).toISOString()}>{formatTime(stack.head.timestamp)}</time>
        )}
        {kinds.length > 0 && <span>{kinds.join(", ")}</span>}
        {params.length > 0 && <span>params: {params.join(", ")}</span>}
      </p>
    </li>
  );
}

function EmptyStacks({ state }: { state: AppState }) {
  const { connection } = state;
  return (
    <div className="app-panel app-empty">
      <h2>No stacks yet</h2>
      <p>
        {connection.mode === "browser"
          ? "Push a first stack into this browser, or reset the demo data in Settings."
          : `Push a first stack to ${connection.server} as ${connection.user}; it appears here as soon as it is pushed.`}
      </p>
      <Snippets snippets={pushSnippets(connection)} />
    </div>
  );
}
