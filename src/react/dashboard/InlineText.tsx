import { type KeyboardEvent, type ReactNode, useEffect, useId, useRef, useState } from "react";

export interface InlineTextProps {
  value: string;
  /** Accessible name of the field and its edit button, e.g. "Dashboard title". */
  label: string;
  onSave(next: string): void;
  /** Shown as the value while not editing (formatted title, markdown...). */
  children: ReactNode;
  multiline?: boolean;
  placeholder?: string;
}

/**
 * Text shown as itself with an "Edit" button; editing opens a field where Enter (Ctrl+Enter when multiline) saves and
 * Escape cancels, focus returning to the button either way.
 */
export function InlineText({ value, label, onSave, children, multiline, placeholder }: InlineTextProps) {
  const [draft, setDraft] = useState<string | undefined>(undefined);
  const field = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const refocus = useRef(false);
  const id = useId();
  const editing = draft !== undefined;

  useEffect(() => {
    if (editing) field.current?.focus();
    else if (refocus.current) {
      refocus.current = false;
      button.current?.focus();
    }
  }, [editing]);

  const close = (save: boolean) => {
    if (save && draft !== undefined && draft !== value) onSave(multiline ? draft : draft.trim());
    refocus.current = true;
    setDraft(undefined);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "Escape") {
      event.preventDefault();
      close(false);
    } else if (event.key === "Enter" && (!multiline || event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      close(true);
    }
  };

  if (draft === undefined) {
    return (
      <div className="dk-inline">
        <div className="dk-inline__value">{children}</div>
        <button
          ref={button}
          type="button"
          className="dk-button dk-button--quiet"
          aria-label={`Edit ${label.charAt(0).toLowerCase()}${label.slice(1)}`}
          onClick={() => setDraft(value)}
        >
          Edit
        </button>
      </div>
    );
  }
  const common = {
    id,
    ref: field,
    className: "dk-input dk-inline__field",
    value: draft,
    placeholder,
    onChange: (e: { target: { value: string } }) => setDraft(e.target.value),
    onKeyDown,
  };
  return (
    <div className="dk-inline dk-inline--editing">
      <label htmlFor={id} className="dk-visually-hidden">
        {label}
      </label>
      {multiline ? <textarea rows={3} {...common} /> : <input type="text" {...common} />}
      <div className="dk-inline__actions">
        <button type="button" className="dk-button" onClick={() => close(true)}>
          Save
        </button>
        <button type="button" className="dk-button dk-button--quiet" onClick={() => close(false)}>
          Cancel
        </button>
      </div>
    </div>
  );
}
