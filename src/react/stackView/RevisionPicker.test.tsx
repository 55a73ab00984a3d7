// The revision picker pages a long history in from the store ("Show older") without gaps, also while frames
// arrive, and still shows a selected revision it has not listed yet.
import { act, cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { StackStore } from "../../model/stackStore";
import { createMemoryStore } from "../../storage/memoryStore";
import { renderWithStore } from "../testing/renderWithStore";
import { RevisionPicker } from "./RevisionPicker";

const part = { data: new Uint8Array(1), contentType: "x/y" };

async function storeWith(count: number): Promise<StackStore> {
  const store = createMemoryStore();
  for (let i = 0; i < count; i++) {
    await store.push({ stack: "long", id: `f${i}`, timestamp: 1_000 + i, message: `m${i}`, attachments: [part] });
  }
  return store;
}

const optionValues = () => screen.getAllByRole("option").map((o) => (o as HTMLOptionElement).value);
const newestFirst = (from: number, to: number) => Array.from({ length: from - to }, (_, i) => `f${from - 1 - i}`);

async function picker(store: StackStore, selectedId?: string) {
  const info = await store.getStack("long");
  const ui = (frames = info.frames, frameCount = info.frameCount) => (
    <RevisionPicker
      frames={frames}
      stack={info.path}
      frameCount={frameCount}
      headId={info.head?.id}
      selectedId={selectedId ?? info.head?.id}
      onSelect={() => {}}
    />
  );
  return { info, ui, rendered: renderWithStore(ui(), { store }) };
}

describe("RevisionPicker paging", () => {
  it("lists the newest revisions, then older ones a page per click, until none are left", async () => {
    const store = await storeWith(120);
    await picker(store);
    expect(optionValues()).toEqual(newestFirst(120, 70));
    expect(screen.getByText("50 of 120")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Show older" }));
    await waitFor(() => expect(optionValues()).toEqual(newestFirst(120, 20)));
    fireEvent.click(await screen.findByRole("button", { name: "Show older" }));
    await waitFor(() => expect(optionValues()).toEqual(newestFirst(120, 0)));
    expect(screen.queryByRole("button", { name: /Show older/ })).toBeNull();
    expect(screen.getByText("120 of 120")).toBeTruthy();
  });

  it("keeps the list whole when frames are pushed while older pages are shown", async () => {
    const store = await storeWith(150);
    const { ui, rendered } = await picker(store);
    fireEvent.click(screen.getByRole("button", { name: "Show older" }));
    await waitFor(() => expect(optionValues()).toEqual(newestFirst(150, 50)));
    // Sixty pushes: the newest 50 no longer reach the older page read before, so it must be read again.
    await act(async () => {
      for (let i = 150; i < 210; i++) {
        await store.push({ stack: "long", id: `f${i}`, timestamp: 1_000 + i, attachments: [part] });
      }
    });
    const fresh = await store.getStack("long");
    rendered.rerender(ui(fresh.frames, fresh.frameCount));
    await waitFor(() => {
      const shown = optionValues();
      expect(shown.length).toBeGreaterThanOrEqual(100);
      expect(shown).toEqual(newestFirst(210, 210 - shown.length));
    });
    expect(screen.getByRole("button", { name: "Show older" })).toBeTruthy();
  });

  it("shows a selected revision it has not listed yet, and no pager for a short history", async () => {
    const store = await storeWith(60);
    await picker(store, "f3");
    expect(optionValues()[0]).toBe("f3");
    expect((screen.getByRole("combobox") as HTMLSelectElement).value).toBe("f3");

    cleanup();
    const short = await storeWith(3);
    const info = await short.getStack("long");
    renderWithStore(
      <RevisionPicker
        frames={info.frames}
        stack={info.path}
        frameCount={3}
        headId="f2"
        selectedId="f2"
        onSelect={() => {}}
      />,
      { store: short },
    );
    expect(screen.queryByRole("button", { name: /Show older/ })).toBeNull();
  });
});
