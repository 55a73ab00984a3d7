import type { AnchorHTMLAttributes } from "react";

/** A real link (open in a new tab works); a plain click is routed without a reload by the page-wide handler. */
export function Link({ to, ...props }: { to: string } & Omit<AnchorHTMLAttributes<HTMLAnchorElement>, "href">) {
  return <a href={to} {...props} />;
}
