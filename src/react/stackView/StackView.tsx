import { type ReactNode, useId, useMemo, useRef, useState } from "react";
import {
  buildParamSpace,
  completeSelection,
  matchAttachment,
  type ParamSelection,
  type ParamSpace,
  toSelection,
} from "../../model/paramSpace";
import type { FrameInfo, StackInfo } from "../../model/types";
import { type Theme, useDstackContext } from "../context";
import { useFrame } from "../hooks/useFrame";
import { useStack } from "../hooks/useStack";
import { useUpdateStack } from "../hooks/useUpdateStack";
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
import { ApiPanel } from "./ApiPanel";
import { AttachmentView } from "./AttachmentView";
import { RevisionPicker } from "./RevisionPicker";
import { StackHeader } from "./StackHeader";

export interface StackViewProps {
  /** `name` (under the store's user) or `/user/name`. */
  stack: string;
  /** A frame (revision) id to show instead of the head; the revision picker can still move away from it. */
  frame?: string;
  /** Controlled param values (with `onParamsChange`); the tab, if any, under `TAB_KEY` ("$tab"). */
  params?: ParamSelection;
  /** Starting values when uncontrolled; missing keys take the first attachment's values. */
  defaultParams?: ParamSelection;
  /** Called with the complete selection on every change (widgets, URL restore, back/forward). */
  onParamsChange?: (params: ParamSelection) => void;
  /** Keep the values in the page's query string (`?Coefficient=1.5`); `{ prefix }` namespaces the keys. */
  urlSync?: boolean | { prefix?: string };
  /** Overrides the provider's theme for this view. */
  theme?: Theme;
  /** Heading level of the stack name; 2 by default. */
  headingLevel?: 1 | 2 | 3 | 4 | 5 | 6;
  /** Hide the "Use via API" panel. */
  hideApi?: boolean;
  className?: string;
}

/**
 * A stack as dstack showed it: header with revisions, widgets generated from the params of the frame's attachments,
 * and the matching attachment drawn by the renderer registry.
 * @example <StackView stack="line_plot" urlSync />
 */
export function StackView(props: StackViewProps) {
  const inherited = useTheme();
  const theme = props.theme ?? inherited;
  const scheme = useSchemeOf(theme);
  const stackQuery = useStack(props.stack);
  const titleId = useId();

  let body: ReactNode;
  if (stackQuery.isPending) {
    body = (
      <>
        <Skeleton variant="header" label="Loading stack…" />
        <Skeleton variant="controls" />
        <Skeleton variant="plot" />
      </>
    );
  } else if (stackQuery.isError) {
    body = <ErrorState error={stackQuery.error} onRetry={() => stackQuery.refetch()} />;
  } else {
    // Keyed by path: another stack starts from its own head and defaults, not the last one's revision and values.
    body = <LoadedStack key={stackQuery.data.path} {...props} info={stackQuery.data} titleId={titleId} />;
  }
  return (
    <ThemeOverrideContext.Provider value={theme}>
      <section
        className={cx("dk-root dk-stack", props.className)}
        data-dk-theme={scheme}
        aria-labelledby={stackQuery.isSuccess ? titleId : undefined}
        aria-label={stackQuery.isSuccess ? undefined : `Stack ${props.stack}`}
        aria-busy={stackQuery.isPending || undefined}
      >
        {body}
      </section>
    </ThemeOverrideContext.Provider>
  );
}

interface LoadedStackProps extends StackViewProps {
  info: StackInfo;
  titleId: string;
}

function LoadedStack({ info, titleId, frame: frameProp, headingLevel = 2, ...props }: LoadedStackProps) {
  const { store } = useDstackContext();
  const [chosen, setChosen] = useState<string | undefined>(frameProp);
  // A new `frame` prop wins over what the picker chose before.
  const [lastProp, setLastProp] = useState(frameProp);
  if (frameProp !== lastProp) {
    setLastProp(frameProp);
    setChosen(frameProp);
  }
  const headId = info.head?.id;
  const frameId = chosen ?? headId;
  const isHead = frameId === headId;
  const frameQuery = useFrame(`/${info.path}`, frameId, { enabled: !isHead });
  const frame = isHead ? (info.head ?? undefined) : frameQuery.data;
  const update = useUpdateStack(`/${info.path}`);
  // Moving the head is the owner's call; a store acts as its `user`.
  const canMoveHead = info.user === store.user;

  const picker =
    info.frames.length > 0 ? (
      <RevisionPicker
        frames={info.frames}
        stack={info.path}
        frameCount={info.frameCount}
        headId={headId}
        selectedId={frameId}
        onSelect={(id) => setChosen(id === headId ? undefined : id)}
        onMakeHead={
          canMoveHead && frameId && !isHead
            ? () => update.mutate({ head: frameId }, { onSuccess: () => setChosen(undefined) })
            : undefined
        }
        makingHead={update.isPending}
        makeHeadError={update.error}
      />
    ) : null;

  let content: ReactNode;
  if (!frameId) {
    content = <p className="dk-empty">This stack has no revisions yet. Push a frame to see it here.</p>;
  } else if (!frame) {
    content = frameQuery.isError ? (
      <ErrorState error={frameQuery.error} onRetry={() => frameQuery.refetch()} />
    ) : (
      <Skeleton variant="plot" label="Loading revision…" />
    );
  } else {
    content = <FrameContent {...props} info={info} frame={frame} isHead={isHead} />;
  }

  return (
    <MarkdownHeadingBase.Provider value={headingLevel}>
      <StackHeader stack={info} frame={frame} titleId={titleId} headingLevel={headingLevel}>
        {picker}
      </StackHeader>
      {info.readme && <SafeMarkdown className="dk-stack__readme">{info.readme}</SafeMarkdown>}
      {content}
    </MarkdownHeadingBase.Provider>
  );
}

interface FrameContentProps extends Omit<StackViewProps, "frame"> {
  info: StackInfo;
  frame: FrameInfo;
  isHead: boolean;
}

function FrameContent({
  info,
  frame,
  isHead,
  params,
  defaultParams,
  onParamsChange,
  urlSync,
  hideApi,
}: FrameContentProps) {
  const space = useMemo<ParamSpace>(() => buildParamSpace(frame.attachments), [frame]);
  const [raw, setRaw] = useControllableState<ParamSelection>({
    prop: params,
    defaultProp: defaultParams ?? {},
    onChange: onParamsChange,
  });
  const value = useMemo(() => completeSelection(space, raw), [space, raw]);
  // What "back" to a history entry without our keys restores: the values the view started with.
  const initial = useRef(params ?? defaultParams).current;
  const prefix = typeof urlSync === "object" ? (urlSync.prefix ?? "") : "";
  const pushUrl = useUrlSync({ enabled: Boolean(urlSync), prefix, space, value, initial, apply: setRaw });

  const panelId = useId();
  const tabBase = useId();
  const index = matchAttachment(space, value);
  const attachment = index >= 0 ? frame.attachments[index] : undefined;
  const relevantKeys = useMemo(
    () => (attachment ? new Set(Object.keys(toSelection(attachment.params))) : undefined),
    [attachment],
  );
  const tabs = space.controls.find((c) => c.kind === "tabs");
  const activeTab = tabs ? tabs.options.findIndex((o) => o.value === value[tabs.key]) : -1;

  const change = (next: ParamSelection) => {
    setRaw(next);
    pushUrl(next);
  };

  return (
    <>
      <ParamControls
        space={space}
        value={value}
        onChange={change}
        panelId={panelId}
        tabIdBase={tabBase}
        relevantKeys={relevantKeys}
      />
      {/* biome-ignore lint/a11y/useAriaPropsSupportedByRole: aria-labelledby is only set with role="tabpanel" */}
      <div
        id={panelId}
        className="dk-stack__panel"
        role={tabs ? "tabpanel" : undefined}
        aria-labelledby={tabs && activeTab >= 0 ? tabId(tabBase, activeTab) : undefined}
      >
        {attachment ? (
          <AttachmentView stack={`/${info.path}`} frameId={frame.id} attachment={attachment} />
        ) : (
          <p className="dk-empty">
            {frame.attachments.length === 0
              ? "This revision has no attachments."
              : "No attachment matches these parameters."}
          </p>
        )}
      </div>
      {!hideApi && attachment && (
        <ApiPanel path={info.path} params={attachment.params} frameId={isHead ? undefined : frame.id} />
      )}
    </>
  );
}
