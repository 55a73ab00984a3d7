import { DstackProvider } from "dstack-kit/react";
import { type ReactNode, useCallback, useEffect, useRef, useState, useSyncExternalStore } from "react";
import {
  browserConnection,
  type Connection,
  logOut,
  probeSession,
  readChoice,
  type Served,
  sessionConnection,
  tokenConnection,
} from "./connection";
import { DashboardPage, DashboardsPage } from "./pages/Dashboards";
import { Link } from "./pages/Link";
import { SettingsPage } from "./pages/Settings";
import { SignInPage } from "./pages/SignIn";
import { StackPage } from "./pages/Stack";
import { StacksPage } from "./pages/Stacks";
import { VerifyPage } from "./pages/Verify";
import { type Route, usePathname, useRoute } from "./router";
import { applyTheme, readTheme } from "./theme";

const SEEDED_KEY = "dstack-app.seeded";

let seeding: Promise<void> | undefined;

/**
 * Seeds an empty IndexedDB once per browser profile (a user who later deletes everything keeps an empty store). One
 * run at a time per page: StrictMode's second effect, or a second tab's boot, must not seed twice.
 */
function seedIfEmpty(connection: Connection, force = false): Promise<void> {
  if (connection.mode !== "browser") return Promise.resolve();
  const run = async () => {
    await seeding?.catch(() => {});
    const { store } = connection;
    if (!force) {
      if (localStorage.getItem(SEEDED_KEY)) return;
      const [stacks, dashboards] = await Promise.all([store.listStacks(), store.listDashboards()]);
      if (stacks.length > 0 || dashboards.length > 0) {
        localStorage.setItem(SEEDED_KEY, "1");
        return;
      }
    }
    const { clearStore, seedDemo } = await import("./seed");
    if (force) await clearStore(store);
    await seedDemo(store);
    localStorage.setItem(SEEDED_KEY, "1");
  };
  seeding = run();
  return seeding;
}

export interface AppState {
  connection: Connection;
  served: Served;
  /** Opens the store the settings now name (after a switch). */
  reconnect: () => void;
  resetDemo: () => Promise<void>;
  signOut: () => Promise<void>;
}

type Boot =
  | { phase: "starting"; message: string }
  | { phase: "signed-out"; served: Served }
  | { phase: "failed"; message: string }
  | { phase: "ready"; connection: Connection; served: Served };

export function App() {
  const route = useRoute();
  const [boot, setBoot] = useState<Boot>({ phase: "starting", message: "Opening the store…" });
  const [generation, setGeneration] = useState(0);
  const reconnect = useCallback(() => setGeneration((g) => g + 1), []);

  useEffect(() => applyTheme(readTheme()), []);

  // The store being replaced (settings switched, signed in or out) is closed once the new one is in use.
  const active = useRef<Connection | undefined>(undefined);

  const verifying = route.page === "verify";
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new generation is the request for a new connection
  useEffect(() => {
    if (verifying) return;
    let cancelled = false;
    (async () => {
      const served = await probeSession();
      const choice = readChoice();
      let connection: Connection;
      if (choice.kind === "server" && choice.token) {
        connection = tokenConnection(choice.server, choice.user, choice.token);
      } else if (choice.kind === "browser" || served.kind === "none") {
        connection = browserConnection();
      } else if (served.kind === "signed-in") {
        connection = sessionConnection(served.user);
      } else {
        if (!cancelled) {
          active.current?.store.close?.();
          active.current = undefined;
          setBoot({ phase: "signed-out", served });
        }
        return;
      }
      if (connection.mode === "browser" && !localStorage.getItem(SEEDED_KEY)) {
        setBoot({ phase: "starting", message: "Adding the demo stacks to this browser…" });
      }
      await seedIfEmpty(connection);
      if (cancelled) {
        connection.store.close?.();
        return;
      }
      active.current?.store.close?.();
      active.current = connection;
      setBoot({ phase: "ready", connection, served });
    })().catch((error: Error) => {
      if (!cancelled) setBoot({ phase: "failed", message: error.message });
    });
    return () => {
      cancelled = true;
    };
  }, [generation, verifying]);

  if (route.page === "verify") {
    return (
      <Shell>
        <VerifyPage user={route.user} code={route.code} />
      </Shell>
    );
  }
  if (boot.phase === "starting") {
    return (
      <Shell>
        <p className="app-status" role="status">
          {boot.message}
        </p>
      </Shell>
    );
  }
  if (boot.phase === "failed") {
    return (
      <Shell>
        <div className="app-panel" role="alert">
          <h1>Could not open the store</h1>
          <p>{boot.message}</p>
          <button type="button" className="app-button" onClick={reconnect}>
            Try again
          </button>
        </div>
      </Shell>
    );
  }
  if (boot.phase === "signed-out") {
    return (
      <Shell>
        <SignInPage onBrowser={reconnect} />
      </Shell>
    );
  }
  const state: AppState = {
    connection: boot.connection,
    served: boot.served,
    reconnect,
    resetDemo: async () => {
      await seedIfEmpty(boot.connection, true);
    },
    signOut: async () => {
      await logOut();
      reconnect();
    },
  };
  return (
    <DstackProvider store={boot.connection.store}>
      <Shell state={state}>
        <Page route={route} state={state} />
      </Shell>
    </DstackProvider>
  );
}

function titleOf(route: Route): string {
  switch (route.page) {
    case "stack":
      return `${route.user}/${route.stack}`;
    case "dashboard":
      return "Dashboard";
    case "dashboards":
      return "Dashboards";
    case "settings":
      return "Settings";
    case "verify":
      return "Sign in";
    default:
      return "Stacks";
  }
}

/** Page title, and focus on the new page's content after an in-app navigation (as a page load would reset it). */
function usePageChange(route: Route): void {
  const pathname = usePathname();
  const title = `${titleOf(route)} · dstack`;
  const shown = useRef(pathname);
  useEffect(() => {
    document.title = title;
  }, [title]);
  useEffect(() => {
    if (shown.current === pathname) return;
    shown.current = pathname;
    document.getElementById("main")?.focus({ preventScroll: false });
    window.scrollTo(0, 0);
  }, [pathname]);
}

function Page({ route, state }: { route: Route; state: AppState }) {
  usePageChange(route);
  switch (route.page) {
    case "stacks":
      return <StacksPage state={state} />;
    case "stack":
      return <StackPage user={route.user} stack={route.stack} />;
    case "dashboards":
      return <DashboardsPage state={state} />;
    case "dashboard":
      return <DashboardPage user={route.user} id={route.id} />;
    case "settings":
      return <SettingsPage state={state} />;
    default:
      return (
        <div className="app-panel">
          <h1>Nothing here</h1>
          <p>
            There is no page at <code>{location.pathname}</code>. <Link to="/">See the stacks</Link>.
          </p>
        </div>
      );
  }
}

function Shell({ state, children }: { state?: AppState; children: ReactNode }) {
  return (
    <div className="app">
      <a className="app-skip" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <Link to="/" className="app-brand">
          dstack
        </Link>
        {state && (
          <nav aria-label="Main" className="app-nav">
            <NavLink to="/">Stacks</NavLink>
            <NavLink to="/dashboards">Dashboards</NavLink>
            <NavLink to="/settings">Settings</NavLink>
          </nav>
        )}
        {state && <StoreIndicator state={state} />}
      </header>
      <main id="main" className="app-main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

function NavLink({ to, children }: { to: string; children: ReactNode }) {
  const route = useRoute();
  const section =
    route.page === "dashboard"
      ? "/dashboards"
      : route.page === "settings"
        ? "/settings"
        : route.page === "dashboards"
          ? "/dashboards"
          : "/";
  return (
    <Link to={to} className="app-nav-link" aria-current={section === to ? "page" : undefined}>
      {children}
    </Link>
  );
}

const LIVE_TEXT = { live: "live", connecting: "connecting…", offline: "offline" } as const;

/** Which store the app reads, and whether changes from elsewhere arrive by themselves. */
function StoreIndicator({ state }: { state: AppState }) {
  const { connection } = state;
  const live = useSyncExternalStore(connection.live.subscribe, () => connection.live.state);
  const where =
    connection.mode === "browser"
      ? "This browser"
      : connection.mode === "session"
        ? `${location.host} · ${connection.user}`
        : `${hostOf(connection.server!)} · ${connection.user}`;
  const title =
    connection.mode === "browser"
      ? "Stacks are kept in this browser (IndexedDB); pushes from other tabs show up live."
      : live === "live"
        ? "Connected to the server's change stream: pushes from other clients show up live."
        : "Not connected to the server's change stream: reload to see other clients' pushes.";
  return (
    <Link to="/settings" className="app-indicator" title={title} data-live={live}>
      <span className="app-indicator-dot" aria-hidden="true" />
      <span>
        {where}
        <span className="app-visually-hidden">, updates </span>
        <span className="app-indicator-live"> · {LIVE_TEXT[live]}</span>
      </span>
    </Link>
  );
}

function hostOf(server: string): string {
  try {
    return new URL(server).host;
  } catch {
    return server;
  }
}
