import { type FormEvent, useState } from "react";
import type { AppState } from "../App";
import { readChoice, writeChoice } from "../connection";
import { applyTheme, readTheme, type ThemeChoice } from "../theme";

export function SettingsPage({ state }: { state: AppState }) {
  const { connection, served } = state;
  const choice = readChoice();
  const servedHere = served.kind !== "none";
  const [kind, setKind] = useState<"browser" | "here" | "server">(
    connection.mode === "browser" ? "browser" : connection.mode === "session" ? "here" : "server",
  );
  const [server, setServer] = useState(choice.kind === "server" ? choice.server : "http://localhost:8080/api");
  const [user, setUser] = useState(choice.kind === "server" ? choice.user : "dstack");
  const [token, setToken] = useState(choice.kind === "server" ? choice.token : "");
  const [theme, setTheme] = useState<ThemeChoice>(readTheme());
  const [resetting, setResetting] = useState<"idle" | "busy" | "done" | string>("idle");
  const [problem, setProblem] = useState<string | null>(null);

  const onSave = (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    if (kind === "browser") writeChoice({ kind: "browser" });
    else if (kind === "here") writeChoice({ kind: "auto" });
    else {
      if (!/^https?:\/\//i.test(server.trim())) return setProblem("The server URL starts with http:// or https://.");
      if (!user.trim() || !token.trim()) return setProblem("A user and its token are needed for another server.");
      writeChoice({ kind: "server", server: server.trim(), user: user.trim(), token: token.trim() });
    }
    state.reconnect();
  };

  return (
    <div className="app-settings">
      <h1>Settings</h1>
      <section className="app-panel" aria-labelledby="store-title">
        <h2 id="store-title">Store</h2>
        <p>
          In use:{" "}
          <strong>
            {connection.mode === "browser"
              ? "this browser (IndexedDB)"
              : connection.mode === "session"
                ? `this server, signed in as ${connection.user}`
                : `${connection.server} as ${connection.user}`}
          </strong>
        </p>
        <form onSubmit={onSave}>
          <fieldset className="app-fieldset">
            <legend>Where stacks come from</legend>
            <label className="app-radio">
              <input type="radio" name="store" checked={kind === "browser"} onChange={() => setKind("browser")} />
              This browser (IndexedDB: private to this browser profile)
            </label>
            {servedHere && (
              <label className="app-radio">
                <input type="radio" name="store" checked={kind === "here"} onChange={() => setKind("here")} />
                This dstack server ({location.host}), with your login session
              </label>
            )}
            <label className="app-radio">
              <input type="radio" name="store" checked={kind === "server"} onChange={() => setKind("server")} />
              {servedHere ? "Another dstack server" : "A dstack server"} (URL, user, token)
            </label>
          </fieldset>
          {kind === "server" && (
            <div className="app-fields">
              <label>
                Server API URL
                <input
                  className="app-input"
                  value={server}
                  onChange={(e) => setServer(e.target.value)}
                  inputMode="url"
                />
              </label>
              <label>
                User
                <input
                  className="app-input"
                  value={user}
                  onChange={(e) => setUser(e.target.value)}
                  autoComplete="username"
                />
              </label>
              <label>
                Token
                <input
                  className="app-input"
                  type="password"
                  value={token}
                  onChange={(e) => setToken(e.target.value)}
                  autoComplete="current-password"
                />
              </label>
              <p className="app-muted">
                The token is kept in this browser's localStorage. <code>dstack server start</code> prints it; the server
                must allow this page's origin.
              </p>
            </div>
          )}
          {problem && <p role="alert">{problem}</p>}
          <button type="submit" className="app-button app-primary">
            Use this store
          </button>
        </form>
        {connection.mode === "session" && (
          <p>
            <button type="button" className="app-button" onClick={() => state.signOut()}>
              Log out
            </button>
          </p>
        )}
      </section>

      {connection.mode === "browser" && (
        <section className="app-panel" aria-labelledby="demo-title">
          <h2 id="demo-title">Demo data</h2>
          <p>Deletes every stack and dashboard in this browser and adds the demo ones again.</p>
          <button
            type="button"
            className="app-button"
            disabled={resetting === "busy"}
            onClick={async () => {
              if (!confirm("Delete every stack and dashboard in this browser and add the demo data again?")) return;
              setResetting("busy");
              try {
                await state.resetDemo();
                setResetting("done");
              } catch (error) {
                setResetting((error as Error).message);
              }
            }}
          >
            Reset demo data
          </button>
          <span role="status" className="app-status-inline">
            {resetting === "busy"
              ? "Resetting…"
              : resetting === "done"
                ? "Demo data restored."
                : resetting === "idle"
                  ? ""
                  : `Failed: ${resetting}`}
          </span>
        </section>
      )}

      <section className="app-panel" aria-labelledby="theme-title">
        <h2 id="theme-title">Appearance</h2>
        <label className="app-inline-field">
          Theme
          <select
            className="app-input"
            value={theme}
            onChange={(e) => {
              const next = e.target.value as ThemeChoice;
              setTheme(next);
              applyTheme(next);
            }}
          >
            <option value="system">System</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </label>
      </section>
    </div>
  );
}
