import { act, renderHook } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { useControllableState } from "./useControllableState";

describe("useControllableState", () => {
  it("uncontrolled: keeps its own value and reports changes", () => {
    const onChange = vi.fn();
    const { result } = renderHook(() => useControllableState({ prop: undefined, defaultProp: 1, onChange }));
    expect(result.current[0]).toBe(1);
    act(() => result.current[1](2));
    expect(result.current[0]).toBe(2);
    expect(onChange).toHaveBeenCalledWith(2);
    act(() => result.current[1](2));
    expect(onChange).toHaveBeenCalledTimes(1);
  });

  it("controlled: shows the prop, asks the parent, never changes by itself", () => {
    const onChange = vi.fn();
    const { result, rerender } = renderHook(({ prop }) => useControllableState({ prop, defaultProp: 0, onChange }), {
      initialProps: { prop: 5 as number | undefined },
    });
    act(() => result.current[1](6));
    expect(onChange).toHaveBeenCalledWith(6);
    expect(result.current[0]).toBe(5);
    rerender({ prop: 6 });
    expect(result.current[0]).toBe(6);
  });

  it("calls the latest onChange without changing the setter's identity", () => {
    const first = vi.fn();
    const second = vi.fn();
    const { result, rerender } = renderHook(
      ({ onChange }) => useControllableState({ prop: undefined, defaultProp: "a", onChange }),
      { initialProps: { onChange: first } },
    );
    const setter = result.current[1];
    rerender({ onChange: second });
    expect(result.current[1]).toBe(setter);
    act(() => result.current[1]("b"));
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledWith("b");
  });
});
