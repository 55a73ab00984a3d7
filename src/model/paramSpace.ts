import { encodeParamValue, isTabParam, type Params, type ParamValue, paramLabel } from "./params";

/** Key under which a selection holds the chosen tab (the tab param's own key is the value). */
export const TAB_KEY = "$tab";

export type ControlKind = "select" | "checkbox" | "slider" | "tabs";
/** A widget value: tabs are chosen by their param key, so every value is a scalar. */
export type SelectionValue = string | number | boolean;
export type ParamSelection = Record<string, SelectionValue>;

export interface ParamOption {
  value: SelectionValue;
  label: string;
}

export interface ParamControl {
  key: string;
  /** What the widget is labelled with: the param key, or "Tabs" for the tab control. */
  label: string;
  kind: ControlKind;
  /** Options in display order: slider stops ascending, everything else in order of first appearance. */
  options: ParamOption[];
  /** True for a select with more than 10 options. */
  searchable: boolean;
}

/** Widgets and a match index built from the params of one frame's attachments (or merged across cards). */
export interface ParamSpace {
  controls: ParamControl[];
  /** The first attachment's values; keys it lacks get their control's first option. */
  defaults: ParamSelection;
  /** Number of attachments indexed (0 for a merged space). */
  size: number;
  /** @internal signature over an attachment's own keys → first attachment with it. */
  readonly index: ReadonlyMap<string, number>;
  /** @internal the distinct key sets of the attachments, sorted, in order of first appearance. */
  readonly keySets: readonly (readonly string[])[];
  /** @internal the spaces a merged space was made of. */
  readonly members: readonly ParamSpace[];
}

const SEARCHABLE_OVER = 10;

/** Turns attachment params into selection form: a tab param `{T: {type: "tab"}}` becomes `{$tab: "T"}`. */
export function toSelection(params: Params | ParamSelection | undefined): ParamSelection {
  const out: ParamSelection = {};
  if (!params) return out;
  for (const [key, value] of Object.entries(params)) {
    if (isTabParam(value)) {
      if (!(TAB_KEY in out)) out[TAB_KEY] = key;
    } else out[key] = value;
  }
  return out;
}

function signatureOf(selection: ParamSelection, keys: readonly string[]): string | undefined {
  let out = "";
  for (const key of keys) {
    // Own keys only: a param named "constructor" must not match Object.prototype's.
    const value = Object.hasOwn(selection, key) ? selection[key] : undefined;
    if (value === undefined) return undefined;
    out += `${key}\u0000${encodeParamValue(value)}\u0001`;
  }
  return out;
}

interface ControlDraft {
  key: string;
  values: Map<string, SelectionValue>;
  labels: Map<string, string>;
  types: Set<string>;
}

function controlFromDraft(draft: ControlDraft): ParamControl {
  const values = [...draft.values.values()];
  const isTabs = draft.key === TAB_KEY;
  const only = draft.types.size === 1 ? [...draft.types][0] : undefined;
  let kind: ControlKind = "select";
  if (isTabs) kind = "tabs";
  else if (only === "boolean") kind = "checkbox";
  else if (only === "number") kind = "slider";
  if (kind === "slider") (values as number[]).sort((a, b) => a - b);
  const options = values.map((value) => ({
    value,
    label: draft.labels.get(encodeParamValue(value)) ?? String(value),
  }));
  return {
    key: draft.key,
    label: isTabs ? "Tabs" : draft.key,
    kind,
    options,
    searchable: kind === "select" && options.length > SEARCHABLE_OVER,
  };
}

/**
 * Builds the widgets of a frame from its attachments' params (the rules in the README's "Widgets") and an index for matching.
 * @example buildParamSpace(frame.attachments).controls.map((c) => c.kind) // ["slider"]
 */
export function buildParamSpace(attachments: ReadonlyArray<{ params?: Params }>): ParamSpace {
  const drafts = new Map<string, ControlDraft>();
  const index = new Map<string, number>();
  const keySets: string[][] = [];
  const seenKeySets = new Set<string>();
  let defaults: ParamSelection = {};

  attachments.forEach((attachment, i) => {
    const params = attachment.params ?? {};
    const selection = toSelection(params);
    if (i === 0) defaults = { ...selection };
    for (const [key, value] of Object.entries(selection)) {
      let draft = drafts.get(key);
      if (!draft) {
        draft = { key, values: new Map(), labels: new Map(), types: new Set() };
        drafts.set(key, draft);
      }
      const code = encodeParamValue(value);
      if (!draft.values.has(code)) {
        draft.values.set(code, value);
        const tab = key === TAB_KEY ? params[value as string] : undefined;
        draft.labels.set(
          code,
          tab !== undefined && isTabParam(tab) ? tab.title || (value as string) : paramLabel(value),
        );
      }
      draft.types.add(typeof value);
    }
    const keys = Object.keys(selection).sort();
    const keySetId = keys.join("\u0000");
    if (!seenKeySets.has(keySetId)) {
      seenKeySets.add(keySetId);
      keySets.push(keys);
    }
    const signature = signatureOf(selection, keys) as string;
    if (!index.has(signature)) index.set(signature, i);
  });

  const controls = [...drafts.values()].map(controlFromDraft);
  // Tabs lead, as they frame everything else.
  controls.sort((a, b) => Number(b.kind === "tabs") - Number(a.kind === "tabs"));
  for (const control of controls) {
    if (!(control.key in defaults) && control.options[0]) defaults[control.key] = control.options[0].value;
  }
  return { controls, defaults, size: attachments.length, index, keySets, members: [] };
}

/**
 * Index of the first attachment whose params all equal the given values (extra values are ignored), or -1.
 * A lookup per distinct key set of the frame, never a scan of the attachments.
 */
export function matchAttachment(space: ParamSpace, values: ParamSelection | Params): number {
  const selection = toSelection(values);
  let best = -1;
  for (const keys of space.keySets) {
    const signature = signatureOf(selection, keys);
    if (signature === undefined) continue;
    const hit = space.index.get(signature);
    if (hit !== undefined && (best < 0 || hit < best)) best = hit;
  }
  return best;
}

/** Index of the first attachment whose params are exactly these (same keys, same values), or -1: dstack-py's pull rule. */
export function findExactAttachment(space: ParamSpace, params: Params | ParamSelection): number {
  const selection = toSelection(params);
  return space.index.get(signatureOf(selection, Object.keys(selection).sort()) as string) ?? -1;
}

/**
 * For each control, whether each option (in `options` order) leads to an attachment given the other current values.
 * A merged space asks every member that has the control's key.
 */
export function availableOptions(space: ParamSpace, values: ParamSelection): Record<string, boolean[]> {
  const out: Record<string, boolean[]> = {};
  const members = space.members.length > 0 ? space.members : [space];
  for (const control of space.controls) {
    out[control.key] = control.options.map((option) => {
      const probe = { ...values, [control.key]: option.value };
      return members.some(
        (member) => member.controls.some((c) => c.key === control.key) && matchAttachment(member, probe) >= 0,
      );
    });
  }
  return out;
}

/** Keeps only known keys and fills missing ones from the defaults. */
export function completeSelection(space: ParamSpace, values: ParamSelection | undefined): ParamSelection {
  const out: ParamSelection = {};
  for (const control of space.controls) {
    const value = values?.[control.key];
    const known =
      value !== undefined && control.options.some((o) => encodeParamValue(o.value) === encodeParamValue(value));
    const fallback = space.defaults[control.key];
    if (known) out[control.key] = value;
    else if (fallback !== undefined) out[control.key] = fallback;
  }
  return out;
}

/**
 * One shared set of controls for several spaces (a dashboard): same-named params merge into one control
 * (union of options, widened slider); a key whose kinds differ across spaces becomes a select.
 */
export function mergeParamSpaces(spaces: readonly ParamSpace[]): ParamSpace {
  const members = spaces.flatMap((s) => (s.members.length > 0 ? s.members : [s]));
  const drafts = new Map<string, ControlDraft & { kinds: Set<ControlKind> }>();
  const defaults: ParamSelection = {};
  for (const member of members) {
    for (const control of member.controls) {
      let draft = drafts.get(control.key);
      if (!draft) {
        draft = { key: control.key, values: new Map(), labels: new Map(), types: new Set(), kinds: new Set() };
        drafts.set(control.key, draft);
        const first = member.defaults[control.key];
        if (first !== undefined) defaults[control.key] = first;
      }
      draft.kinds.add(control.kind);
      for (const option of control.options) {
        const code = encodeParamValue(option.value);
        if (!draft.values.has(code)) {
          draft.values.set(code, option.value);
          draft.labels.set(code, option.label);
        }
        draft.types.add(typeof option.value);
      }
    }
  }
  const controls = [...drafts.values()].map((draft) => {
    const control = controlFromDraft(draft);
    if (draft.kinds.size > 1 && control.kind !== "tabs") {
      return { ...control, kind: "select" as const, searchable: control.options.length > SEARCHABLE_OVER };
    }
    return control;
  });
  controls.sort((a, b) => Number(b.kind === "tabs") - Number(a.kind === "tabs"));
  return { controls, defaults, size: 0, index: new Map(), keySets: [], members };
}

/** The selection restricted to the keys a space has: what one dashboard card filters on. */
export function selectionFor(space: ParamSpace, values: ParamSelection): ParamSelection {
  const out: ParamSelection = {};
  for (const control of space.controls) {
    const value = values[control.key];
    if (value !== undefined) out[control.key] = value;
  }
  return out;
}

export type { ParamValue };
