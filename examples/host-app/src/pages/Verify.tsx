import { useEffect, useRef, useState } from "react";
import { exchangeCode, RETURN_KEY, readChoice, writeChoice } from "../connection";
import { navigate } from "../router";
import { Link } from "./Link";

/** `/auth/verify?user&code`: trades the printed single-use code for the session cookie, then leaves the URL. */
export function VerifyPage({ user, code }: { user: string; code: string }) {
  const [error, setError] = useState<string | null>(null);
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return; // a code works once: StrictMode's second effect must not spend it again
    started.current = true;
    if (!user || !code) {
      setError("This login link lacks its user or code. Copy the whole URL the server printed.");
      return;
    }
    // The code leaves the address bar and the history at once, whatever the answer.
    history.replaceState(null, "", "/auth/verify");
    exchangeCode(user, code).then((result) => {
      if ("error" in result) {
        setError(result.error);
        return;
      }
      // Signing in here is choosing this server: the session is the store from now on (a token saved for another
      // server in settings is dropped with that choice).
      if (readChoice().kind !== "auto") writeChoice({ kind: "auto" });
      // Leaving the route opens the store (App's boot runs again), on the page asked for before signing in.
      const back = sessionStorage.getItem(RETURN_KEY);
      sessionStorage.removeItem(RETURN_KEY);
      navigate(back?.startsWith("/") && !back.startsWith("//") ? back : "/", { replace: true });
    });
  }, [user, code]);
  return (
    <div className="app-panel">
      <h1>Sign in</h1>
      {error ? (
        <>
          <p role="alert">{error}</p>
          <p>
            <Link to="/">Go to the stacks</Link>
          </p>
        </>
      ) : (
        <p role="status">Signing in…</p>
      )}
    </div>
  );
}
