import { useEffect } from "react";
import { RETURN_KEY, writeChoice } from "../connection";

/** Served by a dstack server with no session: the way in is the login URL the server printed. */
export function SignInPage({ onBrowser }: { onBrowser: () => void }) {
  // A stack URL opened before signing in is where the login URL leads back to (same tab).
  useEffect(() => {
    if (location.pathname !== "/") sessionStorage.setItem(RETURN_KEY, location.pathname + location.search);
  }, []);
  return (
    <div className="app-panel">
      <h1>Sign in</h1>
      <p>
        This dstack server needs you to sign in. Open the login link that <code>dstack server start</code> printed in
        its terminal:
      </p>
      <pre>
        <code>{`${location.origin}/auth/verify?user=dstack&code=…`}</code>
      </pre>
      <p>Each link works once; restart the server for a new one.</p>
      <button
        type="button"
        className="app-button"
        onClick={() => {
          writeChoice({ kind: "browser" });
          onBrowser();
        }}
      >
        Use stacks in this browser instead
      </button>
    </div>
  );
}
