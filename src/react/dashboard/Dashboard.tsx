import { useQueries } from "@tanstack/react-query";
import { type ReactNode, useEffect, useId, useMemo, useRef, useState } from "react";
import { cardAttachment, cardIsShown, dashboardSelection, planDashboardParams } from "../../model/dashboardParams";
import { buildParamSpace, type ParamSelection, type ParamSpace } from "../../model/paramSpace";
import type { Dashboard as DashboardData, FrameInfo } from "../../model/types";
import { type Theme, useDstackContext } from "../context";
import { stackQueryOptions } from "../hooks/queryFactories";
import { useDashboard } from "../hooks/useDashboard";
import { MarkdownHeadingBase } from "../markdown/headingBase";
import { ThemeOverrideContext, useSchemeOf, useTheme } from "../state/useColorScheme";
import { useControllableState } from "../state/useControllableState";
import { useUrlSync } from "../state/useUrlSync";
import { ErrorState } from "../ui/ErrorState";
import { cx } from "../ui/format";
import { SafeMarkdown } from "../ui/SafeMarkdown";
import { Skeleton } from "../ui/Skeleton";
import { ParamControls } from "../widgets/ParamControls";
import { tabId } from "../widgets/TabsControl";
import { DashboardCard } from "./DashboardCard";
import { InlineText } from "./InlineText";
import { StackPicker } from "./StackPicker";
import { useDashboardEditor } from "./useDashboardEditor";

export interface DashboardProps {
  /** The dashboard's id, loaded through the store (with `user`, default: the store's user). */
  id?: string;
  user?: string;
  /** A dashboard object to render as given, with no store round trip for the definition. */
  dashboard?: DashboardData;
  /** Edit in place: title, description, cards (add, remove, reorder, width, rename), privacy; saved to the store. */
  editable?: boolean;
  /** Controlled param values (with `onParamsChange`), shared and per-card keys in one object. */
  params?: ParamSelection;
  /** Starting values when uncontrolled. */
  defaultParams?: ParamSelection;
  onParamsChange?: (params: ParamSelection) => void;
  /** Keep the values in the page's query string; `{ prefix }` namespaces the keys. */
  urlSync?: boolean | { prefix?: string };
  /** Overrides the provider's theme for this dashboard. */
  theme?: Theme;
  /** Heading level of the dashboard's title (cards get the next one); 2 by default. */
  headingLevel?: 1 | 2 | 3 | 4 | 5;
  /** Called with `user/name` when a card's "Open" is used (a plain click on the link, with `stackHref`). */
  onOpenStack?: (stack: string) => void;
  /** The URL of a stack's page, to make each card's "Open" a real link. */
  stackHref?: (stack: string) => string;
  /**
   * Show the private/public switch while editing. Default: when the store is shared with other people (an HttpStore);
   * a store in this browser has no one to hide a dashboard from.
   */
  showPrivacy?: boolean;
  className?: string;
}

/**
 * Several stacks on one page as cards, with one set of widgets for the params they share (each card filters on the
 * params its own stack has) and widgets on a card for the params only it has.
 * @example <Dashboard id={id} editable urlSync />
 */
export function Dashboard(props: DashboardProps) {
  const inherited = useTheme();
  const theme = props.theme ?? inherited;
  const scheme = useSchemeOf(theme);
  const given = props.dashboard;
  const query = useDashboard(props.id ?? "", props.user, { enabled: !given && props.id !== undefined });
  const titleId = useId();

  let body: ReactNode;
  const source = given ?? query.data;
  if (source)
    body = <LoadedDashboard key={`${source.user}/${source.id}`} {...props} source={source} titleId={titleId} />;
  else if (props.id === undefined) body = <p className="dk-empty">No dashboard given.</p>;
  else if (query.isError) body = <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  else
    body = (
      <>
        <Skeleton variant="header" label="Loading dashboard…" />
        <Skeleton variant="plot" />
      </>
    );
  return (
    <ThemeOverrideContext.Provider value={theme}>
      <section
        className={cx("dk-root dk-dashboard", props.className)}
        data-dk-theme={scheme}
        aria-labelledby={source ? titleId : undefined}
        aria-label={source ? undefined : "Dashboard"}
        aria-busy={(!source && query.isPending && props.id !== undefined) || undefined}
      >
        {body}
      </section>
    </ThemeOverrideContext.Provider>
  );
}

// A frame never changes once pushed: its space is built once, however many renders and cards use it.
const spaces = new WeakMap<FrameInfo, ParamSpace>();
function spaceOf(frame: FrameInfo): ParamSpace {
  let space = spaces.get(frame);
  if (!space) {
    space = buildParamSpace(frame.attachments);
    spaces.set(frame, space);
  }
  return space;
}

const isShared = (store: object) => typeof (store as { server?: unknown }).server === "string";

interface LoadedDashboardProps extends DashboardProps {
  source: DashboardData;
  titleId: string;
}

function LoadedDashboard({ source, titleId, headingLevel = 2, editable = false, ...props }: LoadedDashboardProps) {
  const { store, storeKey, pollInterval } = useDstackContext();
  const editor = useDashboardEditor(source);
  const dashboard = editor.shown ?? source;
  const cards = dashboard.cards;
  const queries = useQueries({
    queries: cards.map((card) => ({
      ...stackQueryOptions(store, `/${card.stack}`, { cacheKey: storeKey }),
      refetchInterval: pollInterval,
    })),
  });
  const heads = queries.map((q) => q.data?.head ?? undefined);
  const headKey = heads.map((h, i) => `${cards[i]?.stack}@${h?.id ?? ""}`).join("\n");
  // biome-ignore lint/correctness/useExhaustiveDependencies: the heads are keyed by `headKey`
  const cardSpaces = useMemo(() => heads.map((h) => (h ? spaceOf(h) : undefined)), [headKey]);
  const plan = useMemo(() => planDashboardParams(cardSpaces), [cardSpaces]);

  const [raw, setRaw] = useControllableState<ParamSelection>({
    prop: props.params,
    defaultProp: props.defaultParams ?? {},
    onChange: props.onParamsChange,
  });
  const value = useMemo(() => dashboardSelection(plan, raw), [plan, raw]);
  const initial = useRef(props.params ?? props.defaultParams).current;
  const urlSync = props.urlSync;
  const prefix = typeof urlSync === "object" ? (urlSync.prefix ?? "") : "";
  const pushUrl = useUrlSync({
    enabled: Boolean(urlSync),
    prefix,
    space: cardSpaces.some(Boolean) ? plan.merged : undefined,
    value,
    initial,
    apply: setRaw,
  });
  const change = (next: ParamSelection) => {
    setRaw(next);
    pushUrl(next);
  };

  const gridId = useId();
  const tabBase = useId();
  const sharedTabs = plan.merged.controls.find((c) => c.kind === "tabs" && plan.shared.has(c.key));
  const activeTab = sharedTabs ? sharedTabs.options.findIndex((o) => o.value === value[sharedTabs.key]) : -1;

  const [picking, setPicking] = useState(false);
  const [dragged, setDragged] = useState<string | undefined>(undefined);
  const [announcement, setAnnouncement] = useState("");
  // After a keyboard move the card's DOM node moves: give focus back to the button that moved it.
  const refocus = useRef<{ stack: string; to: number; direction: "up" | "down" } | undefined>(undefined);
  const gridRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const want = refocus.current;
    if (!want || !gridRef.current) return;
    const nodes = [...gridRef.current.querySelectorAll<HTMLElement>("article[data-stack]")];
    const at = nodes.findIndex((el) => el.dataset.stack === want.stack);
    // Until the render that shows the move, the card is where it was.
    if (at !== want.to) return;
    refocus.current = undefined;
    const card = nodes[at];
    const button = card?.querySelector<HTMLButtonElement>(`button[data-move="${want.direction}"]:not(:disabled)`);
    (button ?? card?.querySelector<HTMLButtonElement>("button[data-move]:not(:disabled)"))?.focus();
  });

  const titleOf = (stack: string) => {
    const card = cards.find((c) => c.stack === stack);
    return card?.title || stack.slice(stack.indexOf("/") + 1);
  };
  const move = (stack: string, to: number, how: "keyboard" | "drag") => {
    const from = cards.findIndex((c) => c.stack === stack);
    if (from < 0 || to < 0 || to >= cards.length || to === from) return;
    if (how === "keyboard") refocus.current = { stack, to, direction: to < from ? "up" : "down" };
    editor.updateCard(stack, { index: to }, "move the card");
    setAnnouncement(`Moved ${titleOf(stack)} to position ${to + 1} of ${cards.length}.`);
  };

  const Heading = `h${headingLevel}` as const;
  const cardHeading = (headingLevel + 1) as 2 | 3 | 4 | 5 | 6;
  const title = dashboard.title || "Untitled dashboard";
  const heading = (
    <Heading id={titleId} className="dk-dashboard__title">
      {title}
    </Heading>
  );
  const canSeePrivacy = props.showPrivacy ?? isShared(store);
  const present = useMemo(() => new Set(cards.map((c) => c.stack)), [cards]);

  return (
    <MarkdownHeadingBase.Provider value={headingLevel}>
      <header className="dk-dashboard__header">
        {editable ? (
          <InlineText value={dashboard.title} label="Dashboard title" onSave={(t) => editor.update({ title: t })}>
            {heading}
          </InlineText>
        ) : (
          heading
        )}
        {dashboard.private && (
          <span className="dk-badge" title="Visible to its owner and the people it is shared with">
            <span aria-hidden="true">🔒 </span>Private
          </span>
        )}
        {editable ? (
          <InlineText
            value={dashboard.description}
            label="Dashboard description"
            multiline
            placeholder="Describe this dashboard (markdown)"
            onSave={(d) => editor.update({ description: d })}
          >
            {dashboard.description ? (
              <SafeMarkdown className="dk-dashboard__description">{dashboard.description}</SafeMarkdown>
            ) : (
              <p className="dk-dashboard__placeholder">No description.</p>
            )}
          </InlineText>
        ) : (
          dashboard.description && (
            <SafeMarkdown className="dk-dashboard__description">{dashboard.description}</SafeMarkdown>
          )
        )}
        {editable && (
          <div className="dk-dashboard__toolbar">
            <button
              type="button"
              className="dk-button"
              aria-expanded={picking}
              onClick={() => setPicking((open) => !open)}
            >
              Add stacks
            </button>
            {canSeePrivacy && (
              <label className="dk-toggle">
                <input
                  type="checkbox"
                  className="dk-checkbox"
                  checked={dashboard.private}
                  onChange={(e) => editor.update({ private: e.target.checked })}
                />
                Private
              </label>
            )}
            <span className="dk-dashboard__status" role="status">
              {editor.saving ? "Saving…" : ""}
            </span>
          </div>
        )}
        {editor.error && (
          <div className="dk-error dk-dashboard__error" role="alert">
            <p className="dk-error__title">Could not {editor.error.what}; the change was undone.</p>
            <p className="dk-error__detail">{messageOf(editor.error.cause)}</p>
            <button type="button" className="dk-button" onClick={editor.dismissError}>
              Dismiss
            </button>
          </div>
        )}
      </header>
      {editable && picking && (
        <StackPicker
          user={dashboard.user}
          present={present}
          onAdd={(path) => editor.addCards([{ stack: `/${path}` }])}
          onClose={() => setPicking(false)}
          headingLevel={cardHeading}
        />
      )}
      <ParamControls
        className="dk-dashboard__controls"
        space={plan.merged}
        value={value}
        onChange={change}
        keys={plan.shared}
        panelId={gridId}
        tabIdBase={tabBase}
      />
      {cards.length === 0 ? (
        <p className="dk-empty">
          {editable
            ? "This dashboard has no cards yet. Use “Add stacks” to put stacks on it."
            : "This dashboard has no cards yet."}
        </p>
      ) : (
        // biome-ignore lint/a11y/useAriaPropsSupportedByRole: aria-labelledby is only set with role="tabpanel"
        <div
          ref={gridRef}
          id={gridId}
          className="dk-dashboard__grid"
          role={sharedTabs ? "tabpanel" : undefined}
          aria-labelledby={sharedTabs && activeTab >= 0 ? tabId(tabBase, activeTab) : undefined}
        >
          {cards.map((card, i) => {
            const space = cardSpaces[i];
            const shown = cardIsShown(space, plan, value);
            if (!shown && !editable) return null;
            return (
              <DashboardCard
                key={card.stack}
                card={card}
                query={queries[i] as (typeof queries)[number]}
                space={space}
                index={space ? cardAttachment(space, value) : -1}
                value={value}
                ownKeys={plan.own[i] ?? new Set()}
                onChange={change}
                headingLevel={cardHeading}
                shown={shown}
                onOpenStack={props.onOpenStack}
                stackHref={props.stackHref}
                editing={
                  editable
                    ? {
                        position: i,
                        count: cards.length,
                        onMove: (to) => move(card.stack, to, "keyboard"),
                        onRemove: () => {
                          editor.removeCard(card.stack);
                          setAnnouncement(`Removed ${titleOf(card.stack)}.`);
                        },
                        onColumns: (columns) => editor.updateCard(card.stack, { columns }),
                        onRename: (t) => editor.updateCard(card.stack, { title: t }, "rename the card"),
                        onDragStart: () => setDragged(card.stack),
                        onDragEnd: () => setDragged(undefined),
                        onDrop: () => {
                          if (dragged) move(dragged, i, "drag");
                          setDragged(undefined);
                        },
                        dragging: dragged === card.stack,
                      }
                    : undefined
                }
              />
            );
          })}
        </div>
      )}
      <p className="dk-visually-hidden" aria-live="polite">
        {announcement}
      </p>
    </MarkdownHeadingBase.Provider>
  );
}

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
