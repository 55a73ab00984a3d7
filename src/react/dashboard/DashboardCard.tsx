import type { UseQueryResult } from "@tanstack/react-query";
import { type DragEvent, memo, type ReactNode, useId, useMemo } from "react";
import { type ParamSelection, type ParamSpace, toSelection } from "../../model/paramSpace";
import type { Card, StackInfo } from "../../model/types";
import { MarkdownHeadingBase } from "../markdown/headingBase";
import { AttachmentView } from "../stackView/AttachmentView";
import { ErrorState } from "../ui/ErrorState";
import { cx, formatTimestamp, isoTimestamp } from "../ui/format";
import { SafeMarkdown } from "../ui/SafeMarkdown";
import { Skeleton } from "../ui/Skeleton";
import { ParamControls } from "../widgets/ParamControls";
import { InlineText } from "./InlineText";

// Cards re-render on every shared widget change; the attachment itself only when it is another one.
const CardAttachment = memo(AttachmentView);

/** What an editable card can do; absent in view mode. */
export interface CardEditing {
  position: number;
  count: number;
  onMove(to: number): void;
  onRemove(): void;
  onColumns(columns: 1 | 2): void;
  onRename(title: string): void;
  onDragStart(): void;
  onDragEnd(): void;
  /** A card was dropped on this one. */
  onDrop(): void;
  dragging: boolean;
}

export interface DashboardCardProps {
  card: Card;
  query: UseQueryResult<StackInfo>;
  space: ParamSpace | undefined;
  /** The attachment for the dashboard's selection, or -1. */
  index: number;
  value: ParamSelection;
  /** Keys only this card has: their widgets sit on the card. */
  ownKeys: ReadonlySet<string>;
  onChange(next: ParamSelection): void;
  headingLevel: 1 | 2 | 3 | 4 | 5 | 6;
  /** False: hidden by the shared tab (drawn dimmed while editing, else not at all). */
  shown: boolean;
  onOpenStack?: ((stack: string) => void) | undefined;
  stackHref?: ((stack: string) => string) | undefined;
  editing?: CardEditing | undefined;
}

/** One card of a dashboard: its stack's head, filtered by the dashboard's params, in its own error box. */
export function DashboardCard(props: DashboardCardProps) {
  const { card, query, space, index, value, ownKeys, onChange, headingLevel, editing } = props;
  const titleId = useId();
  const name = card.stack.slice(card.stack.indexOf("/") + 1);
  const title = card.title || name;
  const Heading = `h${headingLevel}` as const;
  const heading = (
    <Heading id={titleId} className="dk-card__title">
      {title}
    </Heading>
  );
  const info = query.data;
  const frame = info?.head ?? undefined;
  const attachment = frame && index >= 0 ? frame.attachments[index] : undefined;
  const relevantKeys = useMemo(
    () => (attachment ? new Set(Object.keys(toSelection(attachment.params))) : undefined),
    [attachment],
  );
  // Only this card's own keys change from its widgets; a shared value it cannot show stays the dashboard's.
  const changeOwn = (next: ParamSelection) => {
    const picked: ParamSelection = {};
    for (const key of ownKeys) if (next[key] !== undefined) picked[key] = next[key];
    onChange({ ...value, ...picked });
  };

  let body: ReactNode;
  if (query.isPending) body = <Skeleton variant="plot" label={`Loading ${card.stack}…`} />;
  else if (query.isError) body = <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  else if (!frame) body = <p className="dk-empty">This stack has no revisions yet.</p>;
  else if (!attachment)
    body = (
      <p className="dk-empty">
        {frame.attachments.length === 0
          ? "This revision has no attachments."
          : "No attachment for these values in this stack."}
      </p>
    );
  else body = <CardAttachment stack={`/${card.stack}`} frameId={frame.id} attachment={attachment} />;

  const drop = editing
    ? {
        onDragOver: (e: DragEvent) => {
          e.preventDefault();
          e.dataTransfer.dropEffect = "move";
        },
        onDrop: (e: DragEvent) => {
          e.preventDefault();
          editing.onDrop();
        },
      }
    : {};

  return (
    <article
      className={cx(
        "dk-card",
        card.columns === 2 && "dk-card--wide",
        !props.shown && "dk-card--hidden",
        editing?.dragging && "dk-card--dragging",
      )}
      aria-labelledby={titleId}
      data-stack={card.stack}
      {...drop}
    >
      <header className="dk-card__header">
        {editing && (
          <span
            className="dk-card__handle"
            draggable
            title="Drag to reorder"
            aria-hidden="true"
            onDragStart={(e) => {
              e.dataTransfer.effectAllowed = "move";
              e.dataTransfer.setData("text/plain", card.stack);
              const article = e.currentTarget.closest("article");
              if (article) e.dataTransfer.setDragImage(article, 16, 16);
              editing.onDragStart();
            }}
            onDragEnd={editing.onDragEnd}
          >
            ⠿
          </span>
        )}
        {editing ? (
          <InlineText
            value={card.title ?? ""}
            label={`Title of card ${title}`}
            onSave={editing.onRename}
            placeholder={name}
          >
            {heading}
          </InlineText>
        ) : (
          heading
        )}
        <OpenStack stack={card.stack} title={title} onOpenStack={props.onOpenStack} stackHref={props.stackHref} />
      </header>
      {frame && (
        <p className="dk-card__meta">
          {info?.private && <span className="dk-badge">Private</span>}
          {frame.message && <span className="dk-card__message">{frame.message}</span>}
          <time dateTime={isoTimestamp(frame.timestamp)} suppressHydrationWarning>
            {formatTimestamp(frame.timestamp)}
          </time>
        </p>
      )}
      <MarkdownHeadingBase.Provider value={headingLevel}>
        {card.description && <SafeMarkdown className="dk-card__description">{card.description}</SafeMarkdown>}
        {!props.shown && <p className="dk-card__note">Hidden on this tab.</p>}
        {space && ownKeys.size > 0 && (
          <ParamControls
            className="dk-card__controls"
            space={space}
            value={value}
            onChange={changeOwn}
            keys={ownKeys}
            relevantKeys={relevantKeys}
          />
        )}
        <div className="dk-card__body">{body}</div>
      </MarkdownHeadingBase.Provider>
      {editing && <CardTools card={card} title={title} editing={editing} />}
    </article>
  );
}

function OpenStack({
  stack,
  title,
  onOpenStack,
  stackHref,
}: {
  stack: string;
  title: string;
  onOpenStack: ((stack: string) => void) | undefined;
  stackHref: ((stack: string) => string) | undefined;
}) {
  const label = `Open stack ${title}`;
  if (stackHref) {
    return (
      <a
        className="dk-card__open"
        href={stackHref(stack)}
        aria-label={label}
        onClick={(e) => {
          // A plain click goes through the host's router; modified clicks open a tab as links do.
          if (!onOpenStack || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
          e.preventDefault();
          onOpenStack(stack);
        }}
      >
        Open
      </a>
    );
  }
  if (!onOpenStack) return null;
  return (
    <button
      type="button"
      className="dk-button dk-button--quiet dk-card__open"
      aria-label={label}
      onClick={() => onOpenStack(stack)}
    >
      Open
    </button>
  );
}

function CardTools({ card, title, editing }: { card: Card; title: string; editing: CardEditing }) {
  const { position, count } = editing;
  return (
    <fieldset className="dk-card__tools" aria-label={`Edit card ${title}`}>
      <button
        type="button"
        className="dk-button dk-button--small"
        data-move="up"
        aria-label={`Move ${title} up`}
        disabled={position === 0}
        onClick={() => editing.onMove(position - 1)}
      >
        ↑ Up
      </button>
      <button
        type="button"
        className="dk-button dk-button--small"
        data-move="down"
        aria-label={`Move ${title} down`}
        disabled={position === count - 1}
        onClick={() => editing.onMove(position + 1)}
      >
        ↓ Down
      </button>
      <button
        type="button"
        className="dk-button dk-button--small"
        aria-pressed={card.columns === 2}
        aria-label={`Full width: ${title}`}
        onClick={() => editing.onColumns(card.columns === 2 ? 1 : 2)}
      >
        Full width
      </button>
      <button
        type="button"
        className="dk-button dk-button--small dk-button--danger"
        aria-label={`Remove ${title}`}
        onClick={editing.onRemove}
      >
        Remove
      </button>
    </fieldset>
  );
}
