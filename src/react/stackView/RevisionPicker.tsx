import { useInfiniteQuery } from "@tanstack/react-query";
import { type ReactNode, useId, useState } from "react";
import type { FramePage, FrameSummary } from "../../model/types";
import { useDstackContext } from "../context";
import { dstackKeys } from "../queryKeys";
import { frameLabels } from "./revisionLabels";

export interface RevisionPickerProps {
  /** The newest revisions, newest first (`StackInfo.frames`). */
  frames: readonly FrameSummary[];
  /** The stack's `user/name`: with `frameCount`, lets the reader page older revisions in from the store. */
  stack?: string | undefined;
  /** How many revisions the stack has (`StackInfo.frameCount`); "Show older" appears while some are not listed. */
  frameCount?: number | undefined;
  headId: string | undefined;
  selectedId: string | undefined;
  onSelect(frameId: string): void;
  /** Shown only when given (the store lets this user move the head). */
  onMakeHead?: (() => void) | undefined;
  makingHead?: boolean;
  makeHeadError?: unknown;
}

/** Revisions "Show older" adds per click. */
const OLDER_PAGE = 50;

interface PageParam {
  before?: string;
  limit: number;
}

/**
 * Older revisions, read on demand with `listFrames`: the first page repeats the listed ones and adds a page, so
 * that when the stack changes (its queries are invalidated) every page is read again from the newest and the
 * list never has a gap. Under the stack's query key, so the provider's invalidation reaches it.
 */
function useOlderFrames(stack: string | undefined, listed: number, wanted: boolean) {
  const { store, storeKey } = useDstackContext();
  return useInfiniteQuery({
    queryKey: [...dstackKeys.stack(storeKey, stack ?? ""), "frames"],
    queryFn: ({ pageParam, signal }): Promise<FramePage> => store.listFrames(`/${stack}`, { ...pageParam, signal }),
    initialPageParam: { limit: listed + OLDER_PAGE } as PageParam,
    getNextPageParam: (last): PageParam | undefined => {
      const oldest = last.frames.at(-1);
      return last.more && oldest ? { before: oldest.id, limit: OLDER_PAGE } : undefined;
    },
    enabled: wanted && stack !== undefined,
    retry: false,
  });
}

/** `newest` followed by what `older` adds, each revision once. */
function mergeFrames(newest: readonly FrameSummary[], older: readonly FramePage[] | undefined): FrameSummary[] {
  if (!older) return [...newest];
  const seen = new Set(newest.map((f) => f.id));
  const merged = [...newest];
  for (const page of older) {
    for (const frame of page.frames) {
      if (!seen.has(frame.id)) {
        seen.add(frame.id);
        merged.push(frame);
      }
    }
  }
  return merged;
}

/**
 * The stack's revisions newest first, the head marked, and "Make head" for an older one when allowed. Given
 * `stack` and `frameCount`, a long history is listed a page at a time ("Show older").
 */
export function RevisionPicker(props: RevisionPickerProps) {
  const { stack, frameCount, frames } = props;
  const pages = stack !== undefined && frameCount !== undefined && frameCount > frames.length;
  // Only the pager needs the provider: without `stack`, the picker renders anywhere.
  return pages ? <PagedRevisionPicker {...props} stack={stack} /> : <RevisionList {...props} />;
}

function PagedRevisionPicker(props: RevisionPickerProps & { stack: string }) {
  const [wanted, setWanted] = useState(false);
  const older = useOlderFrames(props.stack, props.frames.length, wanted);
  const frames = mergeFrames(props.frames, older.data?.pages);
  const lastPage = older.data?.pages.at(-1);
  const hasOlder = lastPage ? lastPage.more : frames.length < (props.frameCount ?? 0);
  const loading = older.isFetching;
  const showOlder = () => {
    if (!wanted) setWanted(true);
    else void older.fetchNextPage();
  };
  return (
    <RevisionList
      {...props}
      frames={frames}
      more={
        <>
          {hasOlder && (
            <button type="button" className="dk-button" onClick={showOlder} disabled={loading}>
              {loading ? "Loading older…" : "Show older"}
            </button>
          )}
          <span className="dk-revisions__count" style={{ color: "var(--dk-muted)" }}>
            {frames.length} of {Math.max(props.frameCount ?? 0, frames.length)}
          </span>
          {older.error ? (
            <span className="dk-revisions__error" role="alert">
              Could not load older revisions: {older.error instanceof Error ? older.error.message : String(older.error)}
            </span>
          ) : null}
        </>
      }
    />
  );
}

function RevisionList({
  frames,
  headId,
  selectedId,
  onSelect,
  onMakeHead,
  makingHead,
  makeHeadError,
  frameCount,
  more,
}: RevisionPickerProps & { more?: ReactNode }) {
  const id = useId();
  const labels = frameLabels(frames, headId, frameCount);
  // A revision chosen elsewhere (a link, the URL) that the list has not reached yet still shows as selected.
  const unlisted = selectedId !== undefined && !frames.some((f) => f.id === selectedId);
  const showMakeHead = onMakeHead !== undefined && selectedId !== undefined && selectedId !== headId;
  return (
    <div className="dk-revisions">
      <label className="dk-field__label" htmlFor={id}>
        Revision
      </label>
      <select
        id={id}
        className="dk-select dk-revisions__select"
        value={selectedId ?? ""}
        onChange={(event) => onSelect(event.target.value)}
      >
        {unlisted && <option value={selectedId}>{`revision ${selectedId.slice(0, 8)}`}</option>}
        {frames.map((frame, i) => (
          // Times are formatted in the reader's time zone, which the server may not share.
          <option key={frame.id} value={frame.id} suppressHydrationWarning>
            {labels[i]}
          </option>
        ))}
      </select>
      {more}
      {showMakeHead && (
        <button type="button" className="dk-button" onClick={onMakeHead} disabled={makingHead}>
          {makingHead ? "Making head…" : "Make head"}
        </button>
      )}
      {makeHeadError ? (
        <span className="dk-revisions__error" role="alert">
          Could not move the head: {makeHeadError instanceof Error ? makeHeadError.message : String(makeHeadError)}
        </span>
      ) : null}
    </div>
  );
}
