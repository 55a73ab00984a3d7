import { useMemo } from "react";
import {
  availableOptions,
  completeSelection,
  type ParamControl,
  type ParamSelection,
  type ParamSpace,
  type SelectionValue,
} from "../../model/paramSpace";
import { cx } from "../ui/format";
import { CheckboxControl } from "./CheckboxControl";
import { SearchableSelectControl } from "./SearchableSelectControl";
import { SelectControl } from "./SelectControl";
import { SliderControl } from "./SliderControl";
import { TabsControl } from "./TabsControl";

export interface ParamControlsProps {
  /** From `buildParamSpace(frame.attachments)` (or `mergeParamSpaces` for several stacks). */
  space: ParamSpace;
  /** Current values; missing or unknown keys show the space's defaults. */
  value: ParamSelection | undefined;
  /** Called with the complete new selection. */
  onChange(next: ParamSelection): void;
  disabled?: boolean;
  /** Id of the element the tabs switch, for `aria-controls`. */
  panelId?: string;
  /** Prefix of the tab ids (see `tabId`), so that element can point back with `aria-labelledby`. */
  tabIdBase?: string;
  /**
   * Keys the shown attachment actually has: other controls (say, a "Log scale" that only the plot tab's
   * attachments carry) are hidden, as they would change nothing. All controls show when omitted.
   */
  relevantKeys?: ReadonlySet<string> | undefined;
  /** Only these controls (a dashboard's shared ones, or one card's own); all when omitted. */
  keys?: ReadonlySet<string> | undefined;
  className?: string;
}

/**
 * The widgets of a param space (the README's "Widgets"): tabs, then selects (searchable above 10 options), checkboxes and
 * sliders over the pushed values, with options that match no attachment disabled. For custom layouts; StackView
 * uses it too.
 * @example <ParamControls space={space} value={params} onChange={setParams} />
 */
export function ParamControls({
  space,
  value,
  onChange,
  disabled,
  panelId,
  tabIdBase,
  relevantKeys,
  keys,
  className,
}: ParamControlsProps) {
  const current = useMemo(() => completeSelection(space, value), [space, value]);
  const available = useMemo(() => availableOptions(space, current), [space, current]);
  if (space.controls.length === 0) return null;

  const change = (control: ParamControl) => (next: SelectionValue) => onChange({ ...current, [control.key]: next });
  const propsOf = (control: ParamControl) => ({
    control,
    value: current[control.key],
    available: available[control.key] ?? [],
    onChange: change(control),
    disabled,
  });
  const mine = space.controls.filter((c) => !keys || keys.has(c.key));
  // One value across the whole space is no choice: a static label, never a one-stop slider or one-option select.
  const choices = mine.filter((c) => c.options.length > 1);
  const fixed = mine.filter(
    (c) => c.options.length === 1 && c.kind !== "tabs" && (!relevantKeys || relevantKeys.has(c.key)),
  );
  const tabs = choices.filter((c) => c.kind === "tabs");
  const fields = choices.filter((c) => c.kind !== "tabs" && (!relevantKeys || relevantKeys.has(c.key)));
  if (tabs.length === 0 && fields.length === 0 && fixed.length === 0) return null;

  return (
    <div className={cx("dk-controls", className)}>
      {tabs.map((control) => (
        <TabsControl key={control.key} {...propsOf(control)} panelId={panelId} idBase={tabIdBase} />
      ))}
      {fields.length > 0 && (
        <fieldset className="dk-controls__fields">
          <legend className="dk-visually-hidden">Parameters</legend>
          {fields.map((control) => {
            const props = propsOf(control);
            switch (control.kind) {
              case "checkbox":
                return <CheckboxControl key={control.key} {...props} />;
              case "slider":
                return <SliderControl key={control.key} {...props} />;
              default:
                return control.searchable ? (
                  <SearchableSelectControl key={control.key} {...props} />
                ) : (
                  <SelectControl key={control.key} {...props} />
                );
            }
          })}
        </fieldset>
      )}
      {fixed.length > 0 && (
        <ul className="dk-controls__fixed" aria-label="Fixed parameters">
          {fixed.map((control) => (
            <li key={control.key}>
              <span className="dk-controls__fixed-key">{control.label}</span>{" "}
              <span className="dk-controls__fixed-value">{control.options[0]?.label}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
