import { useId, useMemo, useState } from "react";
import { useStacks } from "../hooks/useStacks";
import { ErrorState } from "../ui/ErrorState";
import { Skeleton } from "../ui/Skeleton";

export interface StackPickerProps {
  /** Whose stacks to list (default: the store's user). */
  user?: string | undefined;
  /** `user/name` of the stacks already on the dashboard. */
  present: ReadonlySet<string>;
  onAdd(path: string): void;
  onClose(): void;
  headingLevel: 2 | 3 | 4 | 5 | 6;
}

/** The store's stacks with a search box; each can be added once. */
export function StackPicker({ user, present, onAdd, onClose, headingLevel }: StackPickerProps) {
  const Heading = `h${headingLevel}` as const;
  const stacks = useStacks(user);
  const [query, setQuery] = useState("");
  const searchId = useId();
  const headingId = useId();
  const matches = useMemo(() => {
    const needle = query.trim().toLowerCase();
    const all = stacks.data ?? [];
    return needle ? all.filter((s) => s.path.toLowerCase().includes(needle)) : all;
  }, [stacks.data, query]);

  let list: React.ReactNode;
  if (stacks.isPending) list = <Skeleton variant="controls" label="Loading stacks…" />;
  else if (stacks.isError) list = <ErrorState error={stacks.error} onRetry={() => stacks.refetch()} />;
  else if (matches.length === 0)
    list = <p className="dk-empty">{query ? `No stack matches “${query}”.` : "There are no stacks yet."}</p>;
  else
    list = (
      <ul className="dk-picker__list">
        {matches.map((s) => {
          const added = present.has(s.path);
          return (
            <li key={s.path} className="dk-picker__item">
              <span className="dk-picker__name">{s.path}</span>
              {s.head?.message && <span className="dk-picker__message">{s.head.message}</span>}
              <button
                type="button"
                className="dk-button dk-button--small"
                disabled={added}
                aria-label={added ? `Added ${s.path}` : `Add ${s.path}`}
                onClick={() => onAdd(s.path)}
              >
                {added ? "Added" : "Add"}
              </button>
            </li>
          );
        })}
      </ul>
    );

  return (
    <section
      className="dk-picker"
      aria-labelledby={headingId}
      onKeyDown={(e) => {
        if (e.key === "Escape") onClose();
      }}
    >
      <div className="dk-picker__top">
        <Heading id={headingId} className="dk-picker__title">
          Add stacks
        </Heading>
        <button type="button" className="dk-button dk-button--quiet" onClick={onClose}>
          Done
        </button>
      </div>
      <label htmlFor={searchId} className="dk-label">
        Search stacks
      </label>
      <input
        id={searchId}
        type="search"
        className="dk-input"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        // biome-ignore lint/a11y/noAutofocus: the picker was opened to search it
        autoFocus
      />
      {list}
    </section>
  );
}
