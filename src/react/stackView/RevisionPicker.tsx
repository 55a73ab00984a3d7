import { useId } from "react";
import type { FrameSummary } from "../../model/types";
import { formatTimestamp } from "../ui/format";

export interface RevisionPickerProps {
  frames: readonly FrameSummary[];
  headId: string | undefined;
  selectedId: string | undefined;
  onSelect(frameId: string): void;
  /** Shown only when given (the store lets this user move the head). */
  onMakeHead?: (() => void) | undefined;
  makingHead?: boolean;
  makeHeadError?: unknown;
}

function frameLabel(frame: FrameSummary, isHead: boolean): string {
  const what = frame.message?.trim() || `revision ${frame.id.slice(0, 8)}`;
  return `${formatTimestamp(frame.timestamp)} · ${what}${isHead ? " (head)" : ""}`;
}

/** The stack's revisions newest first, the head marked, and "Make head" for an older one when allowed. */
export function RevisionPicker({
  frames,
  headId,
  selectedId,
  onSelect,
  onMakeHead,
  makingHead,
  makeHeadError,
}: RevisionPickerProps) {
  const id = useId();
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
        {frames.map((frame) => (
          // Times are formatted in the reader's time zone, which the server may not share.
          <option key={frame.id} value={frame.id} suppressHydrationWarning>
            {frameLabel(frame, frame.id === headId)}
          </option>
        ))}
      </select>
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
