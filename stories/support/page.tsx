import type { ReactNode } from "react";

/** A page background matching the theme, so dark stories look like a dark host page. */
export function ThemedPage({ dark = false, children }: { dark?: boolean; children: ReactNode }) {
  return (
    <div
      style={{
        background: dark ? "#010409" : "transparent",
        padding: dark ? 16 : 0,
        minHeight: dark ? "100%" : undefined,
      }}
    >
      {children}
    </div>
  );
}
