import { fireEvent, render, screen, within } from "@testing-library/react";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";
import { buildParamSpace, type ParamSelection, TAB_KEY } from "../../model/paramSpace";
import type { Params } from "../../model/params";
import { ParamControls } from "./ParamControls";
import { snapStop } from "./SliderControl";

const spaceOf = (params: Params[]) => buildParamSpace(params.map((p) => ({ params: p })));

function Harness({ params, initial }: { params: Params[]; initial?: ParamSelection }) {
  const space = spaceOf(params);
  const [value, setValue] = useState<ParamSelection | undefined>(initial);
  return (
    <>
      <ParamControls space={space} value={value} onChange={setValue} />
      <output data-testid="value">{JSON.stringify(value ?? null)}</output>
    </>
  );
}
const current = () => JSON.parse(screen.getByTestId("value").textContent ?? "null");

describe("ParamControls", () => {
  it("renders nothing for a space without params", () => {
    const { container } = render(<ParamControls space={spaceOf([{}])} value={{}} onChange={() => {}} />);
    expect(container.innerHTML).toBe("");
  });

  it("makes a labelled select for strings and a select of labels for mixed values", () => {
    render(
      <Harness
        params={[
          { Model: "a", Mixed: 1 },
          { Model: "a", Mixed: "1" },
          { Model: "a", Mixed: true },
          { Model: "b", Mixed: "1" },
        ]}
      />,
    );
    const model = screen.getByLabelText("Model") as HTMLSelectElement;
    expect(model.tagName).toBe("SELECT");
    expect(
      within(model)
        .getAllByRole("option")
        .map((o) => o.textContent),
    ).toEqual(["a", "b"]);
    const mixed = screen.getByLabelText("Mixed") as HTMLSelectElement;
    expect(
      within(mixed)
        .getAllByRole("option")
        .map((o) => o.textContent),
    ).toEqual(["1", "1", "true"]);
    fireEvent.change(mixed, { target: { value: "1" } });
    // Options are told apart by position: the second "1" is the string, not the number.
    expect(current()).toEqual({ Model: "a", Mixed: "1" });
    fireEvent.change(model, { target: { value: "1" } });
    expect(current()).toEqual({ Model: "b", Mixed: "1" });
  });

  it("makes a checkbox for booleans and a slider over exactly the pushed numbers", () => {
    render(
      <Harness
        params={[
          { Log: false, Alpha: 0.1 },
          { Log: true, Alpha: 0.1 },
          { Log: false, Alpha: 10 },
          { Log: true, Alpha: 10 },
          { Log: false, Alpha: 2.5 },
          { Log: true, Alpha: 2.5 },
        ]}
      />,
    );
    const log = screen.getByRole("checkbox", { name: "Log" }) as HTMLInputElement;
    expect(log.checked).toBe(false);
    const alpha = screen.getByRole("slider", { name: "Alpha" }) as HTMLInputElement;
    expect([alpha.min, alpha.max, alpha.step, alpha.value]).toEqual(["0", "2", "1", "0"]);
    expect(alpha.getAttribute("aria-valuetext")).toBe("0.1");
    fireEvent.change(alpha, { target: { value: "2" } });
    expect(current()).toEqual({ Log: false, Alpha: 10 });
    expect(alpha.getAttribute("aria-valuetext")).toBe("10");
    fireEvent.click(log);
    expect(current()).toEqual({ Log: true, Alpha: 10 });
  });

  it("slider moves skip stops that match nothing, in the direction of travel", () => {
    expect(snapStop(0, 1, [true, false, true, true])).toBe(2);
    expect(snapStop(3, 1, [true, false, false, true])).toBe(0);
    expect(snapStop(0, 3, [true, true, false, false])).toBe(1);
    expect(snapStop(1, 2, [false, true, false])).toBe(1);
    render(
      <Harness
        params={[
          { Kind: "a", N: 1 },
          { Kind: "a", N: 3 },
          { Kind: "b", N: 2 },
        ]}
      />,
    );
    const n = screen.getByRole("slider", { name: "N" }) as HTMLInputElement;
    fireEvent.change(n, { target: { value: "1" } });
    expect(current()).toEqual({ Kind: "a", N: 3 });
  });

  it("disables options that match nothing given the other values", () => {
    render(
      <Harness
        params={[
          { City: "Paris", Year: 2020 },
          { City: "Paris", Year: 2021 },
          { City: "Rome", Year: 2021 },
        ]}
      />,
    );
    const city = screen.getByLabelText("City");
    expect((within(city).getByRole("option", { name: "Rome" }) as HTMLOptionElement).disabled).toBe(true);
    fireEvent.change(screen.getByRole("slider", { name: "Year" }), { target: { value: "1" } });
    expect((within(city).getByRole("option", { name: "Rome" }) as HTMLOptionElement).disabled).toBe(false);
  });

  it("makes a combobox above 10 options: type to filter, arrows skip impossible options, Enter picks", () => {
    const params: Params[] = [];
    for (let i = 0; i < 30; i++)
      params.push({ Station: `Station ${String(i).padStart(2, "0")}`, Hour: i === 12 ? 1 : 0 });
    render(<Harness params={params} />);
    const input = screen.getByRole("combobox", { name: "Station" }) as HTMLInputElement;
    expect(input.value).toBe("Station 00");
    expect(input.getAttribute("aria-expanded")).toBe("false");
    fireEvent.change(input, { target: { value: "1" } });
    const listbox = screen.getByRole("listbox", { name: "Station" });
    const names = within(listbox)
      .getAllByRole("option")
      .map((o) => o.textContent);
    expect(names).toEqual(["Station 01", ...Array.from({ length: 10 }, (_, i) => `Station 1${i}`), "Station 21"]);
    // Station 12 exists only with Hour 1: impossible with Hour 0, so arrows step over it.
    expect(within(listbox).getByRole("option", { name: "Station 12" }).getAttribute("aria-disabled")).toBe("true");
    for (let i = 0; i < 3; i++) fireEvent.keyDown(input, { key: "ArrowDown" });
    expect(input.getAttribute("aria-activedescendant")).toBe(
      within(listbox).getByRole("option", { name: "Station 13" }).id,
    );
    fireEvent.keyDown(input, { key: "Enter" });
    expect(current()).toEqual({ Station: "Station 13", Hour: 0 });
    expect(input.value).toBe("Station 13");
    expect(input.getAttribute("aria-expanded")).toBe("false");
  });

  it("combobox: Escape closes and restores the chosen label; a click picks; no match says so", () => {
    const params: Params[] = Array.from({ length: 12 }, (_, i) => ({ Letter: String.fromCharCode(65 + i) }));
    render(<Harness params={params} />);
    const input = screen.getByRole("combobox", { name: "Letter" }) as HTMLInputElement;
    fireEvent.change(input, { target: { value: "zz" } });
    const options = within(screen.getByRole("listbox", { name: "Letter" })).getAllByRole("option");
    expect(options.map((o) => [o.textContent, o.getAttribute("aria-disabled")])).toEqual([["No matches", "true"]]);
    // Enter on no match picks nothing.
    fireEvent.keyDown(input, { key: "Enter" });
    expect(current()).toBeNull();
    fireEvent.keyDown(input, { key: "Escape" });
    expect(input.value).toBe("A");
    fireEvent.click(input);
    fireEvent.click(screen.getByRole("option", { name: "K" }));
    expect(current()).toEqual({ Letter: "K" });
  });

  it("makes tabs for {type: 'tab'} params with roving focus and arrow keys", () => {
    const onChange = vi.fn();
    const space = spaceOf([
      { Plot: { type: "tab" } },
      { Data: { type: "tab", title: "The data" } },
      { Notes: { type: "tab" } },
    ]);
    render(<ParamControls space={space} value={{ [TAB_KEY]: "Data" }} onChange={onChange} panelId="panel" />);
    const tabs = screen.getAllByRole("tab");
    expect(tabs.map((t) => [t.textContent, t.getAttribute("aria-selected"), t.tabIndex])).toEqual([
      ["Plot", "false", -1],
      ["The data", "true", 0],
      ["Notes", "false", -1],
    ]);
    expect(tabs[0]?.getAttribute("aria-controls")).toBe("panel");
    fireEvent.keyDown(tabs[1] as HTMLElement, { key: "End" });
    expect(onChange).toHaveBeenLastCalledWith({ [TAB_KEY]: "Notes" });
    fireEvent.keyDown(tabs[1] as HTMLElement, { key: "ArrowLeft" });
    expect(onChange).toHaveBeenLastCalledWith({ [TAB_KEY]: "Plot" });
    fireEvent.click(tabs[2] as HTMLElement);
    expect(onChange).toHaveBeenLastCalledWith({ [TAB_KEY]: "Notes" });
  });

  it("tabs that match nothing are aria-disabled and skipped by arrows", () => {
    const onChange = vi.fn();
    const space = spaceOf([
      { A: { type: "tab" }, x: 1 },
      { B: { type: "tab" }, x: 2 },
      { C: { type: "tab" }, x: 1 },
    ]);
    render(<ParamControls space={space} value={{ [TAB_KEY]: "A", x: 1 }} onChange={onChange} />);
    const [a, b] = screen.getAllByRole("tab");
    expect(b?.getAttribute("aria-disabled")).toBe("true");
    fireEvent.keyDown(a as HTMLElement, { key: "ArrowRight" });
    expect(onChange).toHaveBeenLastCalledWith({ [TAB_KEY]: "C", x: 1 });
    onChange.mockClear();
    fireEvent.click(b as HTMLElement);
    expect(onChange).not.toHaveBeenCalled();
  });

  it("fills missing and unknown values from the defaults (the first attachment)", () => {
    render(<Harness params={[{ Model: "b" }, { Model: "a" }]} initial={{ Model: "zzz", Other: 1 }} />);
    expect((screen.getByLabelText("Model") as HTMLSelectElement).value).toBe("0");
  });
});
