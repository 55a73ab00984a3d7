import { isTabParam, type Params, type ParamValue } from "../../model/params";

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function tsValue(value: ParamValue): string {
  if (isTabParam(value))
    return value.title === undefined ? '{ type: "tab" }' : `{ type: "tab", title: ${JSON.stringify(value.title)} }`;
  return JSON.stringify(value);
}

function pyValue(value: ParamValue): string {
  if (isTabParam(value)) {
    return value.title === undefined ? '{"type": "tab"}' : `{"type": "tab", "title": ${JSON.stringify(value.title)}}`;
  }
  if (typeof value === "boolean") return value ? "True" : "False";
  // JSON string and number literals are valid Python literals.
  return JSON.stringify(value);
}

export interface PullSnippetInput {
  /** Full `user/name` path. */
  path: string;
  /** The exact params of the attachment shown (pull matches exactly). */
  params: Params;
  /** A frame id when the view shows a revision other than the head. */
  frameId?: string | undefined;
}

/**
 * The TypeScript `pull` call that fetches the attachment on screen.
 * @example typescriptPull({ path: "dstack/line_plot", params: { Coefficient: 1.5 } })
 */
export function typescriptPull({ path, params, frameId }: PullSnippetInput): string {
  const entries = Object.entries(params);
  const args = [JSON.stringify(`/${path}`)];
  args.push(
    entries.length === 0
      ? "undefined"
      : `{ ${entries.map(([k, v]) => `${IDENTIFIER.test(k) ? k : JSON.stringify(k)}: ${tsValue(v)}`).join(", ")} }`,
  );
  args.push(frameId ? `{ store, frame: ${JSON.stringify(frameId)} }` : "{ store }");
  return [
    'import { pull } from "dstack-kit";',
    "",
    "// store: where this stack lives, e.g. createHttpStore({ server, user, token })",
    `const data = await pull(${args.join(", ")});`,
  ].join("\n");
}

/** The dstack-py call that fetches the same attachment (dstack-py always pulls the head). */
export function pythonPull({ path, params, frameId }: PullSnippetInput): string {
  const entries = Object.entries(params);
  const call =
    entries.length === 0
      ? `ds.pull(${JSON.stringify(`/${path}`)})`
      : `ds.pull(${JSON.stringify(`/${path}`)}, params={${entries
          .map(([k, v]) => `${JSON.stringify(k)}: ${pyValue(v)}`)
          .join(", ")}})`;
  const lines = ["import dstack as ds", ""];
  if (frameId) lines.push("# dstack-py pulls the head revision; this view shows an older one.");
  lines.push(`data = ${call}`);
  return lines.join("\n");
}
