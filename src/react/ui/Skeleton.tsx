import { cx } from "./format";

export interface SkeletonProps {
  /** The shape of what is loading. */
  variant?: "header" | "controls" | "plot" | "table" | "text" | "image";
  /** What screen readers hear. */
  label?: string;
}

/** A shimmering placeholder with a polite "Loading…" for screen readers. */
export function Skeleton({ variant = "text", label = "Loading…" }: SkeletonProps) {
  return (
    <div className={cx("dk-skeleton", `dk-skeleton--${variant}`)} role="status">
      <span className="dk-visually-hidden">{label}</span>
    </div>
  );
}
