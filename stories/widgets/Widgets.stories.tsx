import type { Meta, StoryObj } from "@storybook/react-vite";
import { useState } from "react";
import { expect, fireEvent, fn, userEvent, within } from "storybook/test";
import {
  availableOptions,
  completeSelection,
  type ParamSelection,
  type SelectionValue,
} from "../../src/model/paramSpace";
import {
  CheckboxControl,
  ParamControls,
  SearchableSelectControl,
  SelectControl,
  SliderControl,
  TabsControl,
  type WidgetProps,
} from "../../src/react";
import { carsSpace, controlOf, countriesSpace } from "../support/spaces";

const cars = carsSpace();
const countries = countriesSpace();

/** A widget with its own state, availability computed from the real space as StackView does. */
function Live({
  kind,
  keyName,
  space,
  start,
}: {
  kind: "select" | "searchable" | "checkbox" | "slider" | "tabs";
  keyName: string;
  space: typeof cars;
  start: ParamSelection;
}) {
  const [selection, setSelection] = useState(() => completeSelection(space, start));
  const props: WidgetProps = {
    control: controlOf(space, keyName),
    value: selection[keyName],
    available: availableOptions(space, selection)[keyName] ?? [],
    onChange: (value: SelectionValue) => setSelection({ ...selection, [keyName]: value }),
  };
  const Widget = {
    select: SelectControl,
    searchable: SearchableSelectControl,
    checkbox: CheckboxControl,
    slider: SliderControl,
    tabs: TabsControl,
  }[kind];
  return (
    <div className="dk-root" style={{ maxWidth: 420, padding: 16 }}>
      <Widget {...props} />
      <pre data-testid="selection">{JSON.stringify(selection)}</pre>
    </div>
  );
}

const meta = {
  title: "Widgets",
  component: Live,
  args: { kind: "select", keyName: "Origin", space: cars, start: {} },
  argTypes: { space: { control: false } },
} satisfies Meta<typeof Live>;
export default meta;
type Story = StoryObj<typeof meta>;

const selection = (canvas: HTMLElement) =>
  JSON.parse(within(canvas).getByTestId("selection").textContent ?? "{}") as ParamSelection;

/** Origin with 8 cylinders: only the USA made V8s, so Europe and Japan are disabled. */
export const Select: Story = {
  args: { kind: "select", keyName: "Origin", start: { Cylinders: 8 } },
  play: async ({ canvasElement }) => {
    const select = within(canvasElement).getByLabelText("Origin");
    const europe = within(select).getByRole("option", { name: "Europe" }) as HTMLOptionElement;
    expect(europe.disabled).toBe(true);
  },
};

export const SearchableSelect: Story = {
  args: { kind: "searchable", keyName: "Country", space: countries, start: {} },
  play: async ({ canvasElement }) => {
    const input = within(canvasElement).getByRole("combobox", { name: "Country" });
    await userEvent.click(input);
    await userEvent.keyboard("nor{ArrowDown}{Enter}");
    expect(selection(canvasElement).Country).toBe("Norway");
    expect(input.getAttribute("aria-expanded")).toBe("false");
  },
};

export const Checkbox: Story = {
  args: { kind: "checkbox", keyName: "Log scale", start: {} },
  play: async ({ canvasElement }) => {
    await userEvent.click(within(canvasElement).getByRole("checkbox", { name: "Log scale" }));
    expect(selection(canvasElement)["Log scale"]).toBe(true);
  },
};

/** Cylinders for European cars: 3 and 8 were never pushed, so the slider skips them and draws them faded. */
export const Slider: Story = {
  args: { kind: "slider", keyName: "Cylinders", start: { Origin: "Europe" } },
  play: async ({ canvasElement }) => {
    const slider = within(canvasElement).getByRole("slider", { name: "Cylinders" });
    expect(slider.getAttribute("aria-valuetext")).toBe("4");
    fireEvent.change(slider, { target: { value: "4" } }); // towards 8, which Europe lacks
    expect(selection(canvasElement).Cylinders).toBe(6);
    expect(canvasElement.querySelectorAll(".dk-slider__tick--off")).toHaveLength(2);
  },
};

export const Tabs: Story = {
  args: { kind: "tabs", keyName: "$tab", start: {} },
  play: async ({ canvasElement }) => {
    const plot = within(canvasElement).getByRole("tab", { name: "Plot" });
    plot.focus();
    await userEvent.keyboard("{ArrowRight}");
    expect(selection(canvasElement).$tab).toBe("Table");
    expect(document.activeElement?.textContent).toBe("Data");
  },
};

/** All of a space's widgets for a custom layout, controlled by the host. */
export const AllControls: StoryObj<typeof ParamControls> = {
  render: function Render() {
    const [value, setValue] = useState<ParamSelection>({});
    return (
      <div className="dk-root" style={{ padding: 16 }}>
        <ParamControls space={cars} value={value} onChange={setValue} />
        <pre data-testid="selection">{JSON.stringify(completeSelection(cars, value))}</pre>
      </div>
    );
  },
  play: async ({ canvasElement }) => {
    await userEvent.selectOptions(within(canvasElement).getByLabelText("Origin"), "Japan");
    expect(selection(canvasElement).Origin).toBe("Japan");
  },
};

export const Disabled: StoryObj<typeof ParamControls> = {
  render: () => (
    <div className="dk-root" style={{ padding: 16 }}>
      <ParamControls space={cars} value={{}} onChange={fn()} disabled />
    </div>
  ),
  play: async ({ canvasElement }) => {
    expect((within(canvasElement).getByLabelText("Origin") as HTMLSelectElement).disabled).toBe(true);
  },
};
