import { describeError } from "./errorKind";

export interface ErrorStateProps {
  error: unknown;
  /** Shows a Retry button that calls this. */
  onRetry?: (() => void) | undefined;
  /** Replaces the title chosen by the error's kind. */
  title?: string;
}

/** A typed error message (not found, forbidden, corrupt attachment...) with an optional retry. */
export function ErrorState({ error, onRetry, title }: ErrorStateProps) {
  const described = describeError(error);
  return (
    <div className="dk-error" role="alert" data-kind={described.kind}>
      <p className="dk-error__title">{title ?? described.title}</p>
      <p className="dk-error__detail">{described.detail}</p>
      {onRetry && (
        <button type="button" className="dk-button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}
