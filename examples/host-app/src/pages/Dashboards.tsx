import {
  Dashboard,
  ErrorState,
  Skeleton,
  useCreateDashboard,
  useDashboards,
  useDeleteDashboard,
} from "dstack-kit/react";
import { type FormEvent, useState } from "react";
import type { AppState } from "../App";
import { dashboardUrl, navigate, stackUrl } from "../router";
import { Link } from "./Link";

export function DashboardsPage({ state }: { state: AppState }) {
  const dashboards = useDashboards(state.connection.user);
  const create = useCreateDashboard();
  const remove = useDeleteDashboard();
  const [title, setTitle] = useState("");

  const onCreate = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { title: title.trim() || "Untitled dashboard" },
      { onSuccess: (created) => navigate(dashboardUrl(created.user, created.id)) },
    );
  };

  return (
    <section aria-labelledby="dashboards-title">
      <div className="app-page-head">
        <h1 id="dashboards-title">Dashboards</h1>
      </div>
      <form className="app-create" onSubmit={onCreate}>
        <label htmlFor="new-dashboard">New dashboard</label>
        <div className="app-create-row">
          <input
            id="new-dashboard"
            className="app-input"
            placeholder="Title"
            value={title}
            onChange={(e) => setTitle(e.target.value)}
          />
          <button type="submit" className="app-button app-primary" disabled={create.isPending}>
            Create dashboard
          </button>
        </div>
        {create.isError && <p role="alert">Could not create the dashboard: {create.error.message}</p>}
      </form>
      {dashboards.isPending ? (
        <Skeleton variant="header" label="Loading dashboards…" />
      ) : dashboards.isError ? (
        <ErrorState error={dashboards.error} onRetry={() => dashboards.refetch()} />
      ) : dashboards.data.length === 0 ? (
        <p className="app-panel">No dashboards yet: create one above, then add stacks to it.</p>
      ) : (
        <ul className="app-list">
          {dashboards.data.map((d) => (
            <li key={`${d.user}/${d.id}`} className="app-card app-dashboard-row">
              <div className="app-row-title">
                <Link to={dashboardUrl(d.user, d.id)} className="app-row-link">
                  {d.title || "Untitled dashboard"}
                </Link>
                {d.private && <span className="app-badge">Private</span>}
              </div>
              <p className="app-row-meta">
                <span>
                  {d.cards.length} {d.cards.length === 1 ? "card" : "cards"}
                  {d.cards.length > 0 &&
                    `: ${d.cards.map((c) => c.title || c.stack.split("/").slice(1).join("/")).join(", ")}`}
                </span>
              </p>
              <button
                type="button"
                className="app-button app-row-action"
                aria-label={`Delete ${d.title || "Untitled dashboard"}`}
                onClick={() => {
                  if (confirm(`Delete the dashboard “${d.title || "Untitled dashboard"}”? Its stacks stay.`)) {
                    remove.mutate({ id: d.id, user: d.user });
                  }
                }}
              >
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** `/{user}/d/{id}`: the dashboard, editable in place. */
export function DashboardPage({ user, id }: { user: string; id: string }) {
  return (
    <div className="app-dashboard-page">
      <nav aria-label="Breadcrumb" className="app-crumbs">
        <Link to="/dashboards">Dashboards</Link>
      </nav>
      <Dashboard key={`${user}/${id}`} id={id} user={user} editable urlSync headingLevel={1} stackHref={stackUrl} />
    </div>
  );
}
