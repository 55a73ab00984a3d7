import { StackView } from "dstack-kit/react";
import { Link } from "./Link";

/** `/{user}/{stack...}`: the URL `dstack push` and dstack-py print. */
export function StackPage({ user, stack }: { user: string; stack: string }) {
  const path = `${user}/${stack}`;
  return (
    <div className="app-stack-page">
      <nav aria-label="Breadcrumb" className="app-crumbs">
        <Link to="/">Stacks</Link> <span aria-hidden="true">/</span> <span>{user}</span>
      </nav>
      {/* Keyed by stack: another stack starts from its own defaults and the URL holds only its own params. */}
      <StackView key={path} stack={`/${path}`} urlSync headingLevel={1} />
    </div>
  );
}
