import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { type ReactNode, useEffect, useMemo, useState } from "react";
import type { TableParserLike } from "../client/decode";
import type { StackStore } from "../model/stackStore";
import { DstackContext, type DstackContextValue, type Theme } from "./context";
import { dashboardQueryOptions, stackQueryOptions } from "./hooks/queryFactories";
import { dstackKeys, storeKeyOf } from "./queryKeys";
import { mergeRenderers } from "./renderers/defaultRenderers";
import type { BokehSource, PlotlySource } from "./renderers/externalLibraries";
import type { AttachmentRenderer } from "./renderers/types";
import { KitStyles } from "./styles/KitStyles";

export interface DstackProviderProps {
  /** Where stacks and dashboards come from: memory, IndexedDB, HTTP or any StackStore. */
  store: StackStore;
  /**
   * Your own QueryClient (to share a cache or prefetch for SSR); one is created when omitted. The kit's queries set
   * `retry: false` whatever its defaults: the store retries (HttpStore: network errors, timeouts, 5xx, 429).
   */
  queryClient?: QueryClient;
  /** Renderers tried before the built-ins; one with a built-in's name (`plotly`, `table`...) replaces it. */
  renderers?: readonly AttachmentRenderer[];
  /** A fuller Plotly (object or loader), for trace types outside plotly.js-basic-dist (scatter, bar, pie). */
  plotly?: PlotlySource;
  /**
   * Parses table attachments off the main thread: `createTableParser()` from `dstack-kit/dataframe`. Without it
   * tables are parsed in-thread (fine for small ones; a million rows takes a second or two).
   */
  tableParser?: TableParserLike;
  /**
   * BokehJS, to draw bokeh attachments. `{ scripts: [url, ...] }`: loaded inside the sandboxed frame that draws each
   * plot. BokehJS itself (or a global `Bokeh`) is used, in the page, only with `trustContent`.
   */
  bokeh?: BokehSource;
  /**
   * Trust everyone who can push to this store to run script in your page: bokeh plots are then embedded in the page
   * with its own BokehJS, their CustomJS included, instead of in a sandboxed frame. Default false.
   */
  trustContent?: boolean;
  /** `auto` (default) follows the host page's own colour scheme (its `color-scheme`, else its background). */
  theme?: Theme;
  /**
   * Refetch stacks and dashboards every n ms, for stores that cannot report changes themselves: a custom store, or
   * an HttpStore whose server has no `/events` (memory, IndexedDB and HttpStore on this kit's server all report).
   */
  pollInterval?: number;
  /** false: do not inject the kit's `<style>`; ship `dstackCss` yourself. */
  injectStyles?: boolean;
  /**
   * Names this store in query keys (default: an id per store object). Give the same name to `prefetchStack` on the
   * server and to the provider in the browser, so dehydrated queries are found on hydration; give different stores
   * sharing one QueryClient different names.
   */
  cacheKey?: string;
  /** Nonce for the injected `<style>` under a Content-Security-Policy. */
  styleNonce?: string;
  children?: ReactNode;
}

function createKitQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { refetchOnWindowFocus: false } } });
}

/**
 * Gives the kit's hooks and components their store, a react-query cache and the renderer registry, injects the
 * styles once, and turns the store's change events into query invalidations (live updates across tabs).
 * @example <DstackProvider store={createIndexedDBStore()}><StackView stack="line_plot" /></DstackProvider>
 */
export function DstackProvider({
  store,
  queryClient,
  renderers,
  plotly,
  bokeh,
  trustContent = false,
  tableParser,
  theme = "auto",
  pollInterval,
  injectStyles = true,
  styleNonce,
  cacheKey,
  children,
}: DstackProviderProps) {
  const [ownClient] = useState(() => (queryClient ? undefined : createKitQueryClient()));
  const client = queryClient ?? ownClient ?? createKitQueryClient();
  const storeKey = cacheKey ?? storeKeyOf(store);

  useEffect(
    () =>
      store.subscribe((event) => {
        // Frames and attachment bytes never change once pushed; only lists and stacks (head, readme...) go stale.
        // The keys are those of the query-option factories (every user's lists: their common prefix).
        const keys = { cacheKey: storeKey };
        if (event.type === "stack") {
          void client.invalidateQueries({ queryKey: dstackKeys.stacks(storeKey) });
          void client.invalidateQueries({ queryKey: stackQueryOptions(store, `/${event.path}`, keys).queryKey });
        } else {
          const slash = event.path.indexOf("/");
          const [owner, id] = [event.path.slice(0, slash), event.path.slice(slash + 1)];
          void client.invalidateQueries({ queryKey: dstackKeys.dashboards(storeKey) });
          void client.invalidateQueries({ queryKey: dashboardQueryOptions(store, id, owner, keys).queryKey });
        }
      }),
    [store, client, storeKey],
  );

  const value = useMemo<DstackContextValue>(
    () => ({
      store,
      storeKey,
      renderers: mergeRenderers(renderers),
      plotly,
      bokeh,
      trustContent,
      tableParser,
      theme,
      pollInterval: pollInterval !== undefined && pollInterval > 0 ? pollInterval : false,
    }),
    [store, storeKey, renderers, plotly, bokeh, trustContent, tableParser, theme, pollInterval],
  );

  return (
    <QueryClientProvider client={client}>
      <DstackContext.Provider value={value}>
        {injectStyles && <KitStyles nonce={styleNonce} />}
        {children}
      </DstackContext.Provider>
    </QueryClientProvider>
  );
}
