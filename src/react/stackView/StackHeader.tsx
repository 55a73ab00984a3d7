import type { ReactNode } from "react";
import type { FrameInfo, StackInfo } from "../../model/types";
import { formatTimestamp, isoTimestamp } from "../ui/format";

export interface StackHeaderProps {
  stack: StackInfo;
  frame: FrameInfo | undefined;
  titleId: string;
  /** Heading level of the stack name (2 by default), to fit the host page's outline. */
  headingLevel: 1 | 2 | 3 | 4 | 5 | 6;
  children?: ReactNode;
}

/** Stack name (user dimmed), private marker, and the shown frame's message and time. */
export function StackHeader({ stack, frame, titleId, headingLevel, children }: StackHeaderProps) {
  const Heading = `h${headingLevel}` as const;
  return (
    <header className="dk-stack__header">
      <div className="dk-stack__heading">
        <Heading id={titleId} className="dk-stack__title">
          <span className="dk-stack__user">{`${stack.user}/`}</span>
          {stack.name}
        </Heading>
        {stack.private && (
          <span className="dk-badge" title="Visible to its owner and the people it is shared with">
            <span aria-hidden="true">🔒 </span>Private
          </span>
        )}
      </div>
      {frame && (
        <p className="dk-stack__meta">
          {frame.message && <span className="dk-stack__message">{frame.message}</span>}
          <time dateTime={isoTimestamp(frame.timestamp)} suppressHydrationWarning>
            {formatTimestamp(frame.timestamp)}
          </time>
        </p>
      )}
      {children}
    </header>
  );
}
