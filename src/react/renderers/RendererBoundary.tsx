import { Component, type ErrorInfo, type ReactNode } from "react";
import { ErrorState } from "../ui/ErrorState";

export interface RendererBoundaryProps {
  children: ReactNode;
  /** A new key (another attachment) clears a caught error. */
  resetKey: string;
  /** Renderer name, for the message and `onError`. */
  name: string;
  onError?: ((error: unknown, info: ErrorInfo) => void) | undefined;
}

interface State {
  error: unknown;
  failed: boolean;
  resetKey: string;
  /** Bumped by Retry to remount the renderer from scratch. */
  attempt: number;
}

/**
 * Catches whatever one renderer throws while rendering, so one bad attachment (or a buggy host renderer) shows an
 * error with Retry in its own box and never takes the page down.
 */
export class RendererBoundary extends Component<RendererBoundaryProps, State> {
  override state: State = { error: null, failed: false, resetKey: this.props.resetKey, attempt: 0 };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error, failed: true };
  }

  static getDerivedStateFromProps(props: RendererBoundaryProps, state: State): Partial<State> | null {
    return props.resetKey === state.resetKey ? null : { error: null, failed: false, resetKey: props.resetKey };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    this.props.onError?.(error, info);
  }

  private retry = () => this.setState((s) => ({ error: null, failed: false, attempt: s.attempt + 1 }));

  override render(): ReactNode {
    if (this.state.failed) {
      return (
        <ErrorState title={`The ${this.props.name} renderer failed`} error={this.state.error} onRetry={this.retry} />
      );
    }
    return <RemountOn key={this.state.attempt}>{this.props.children}</RemountOn>;
  }
}

function RemountOn({ children }: { children: ReactNode }) {
  return children;
}
