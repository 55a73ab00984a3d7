// Two IndexedDB connections to one database, as two tabs would have: a push through one shows up in a StackView
// reading the other, without a reload (BroadcastChannel → store event → query invalidation).
import { describe, expect, it } from "vitest";
import { pushFrame } from "../../client/frame";
import { createIndexedDBStore } from "../../storage/indexedDBStore";
import { useStacks } from "../hooks/useStacks";
import { renderInBrowser, waitFor } from "../testing/renderInBrowser";
import { StackView } from "./StackView";

function StackList() {
  const { data = [] } = useStacks();
  return (
    <ul aria-label="stacks">
      {data.map((s) => (
        <li key={s.path}>{s.path}</li>
      ))}
    </ul>
  );
}

describe("live updates across IndexedDB connections (Chromium)", () => {
  it("shows a push made through another connection", async () => {
    const dbName = `dstack-react-live-${crypto.randomUUID()}`;
    const viewer = createIndexedDBStore({ dbName });
    const writer = createIndexedDBStore({ dbName });
    try {
      await pushFrame({ stack: "live/report", data: "# Version 1", store: writer, message: "first" });
      const screen = await renderInBrowser(
        <>
          <StackList />
          <StackView stack="live/report" />
        </>,
        viewer,
      );
      await expect.element(screen.getByRole("heading", { name: "Version 1" })).toBeVisible();
      await pushFrame({ stack: "live/report", data: "# Version 2", store: writer, message: "second" });
      await expect.element(screen.getByRole("heading", { name: "Version 2" })).toBeVisible();
      await expect.element(screen.getByText("second", { exact: true })).toBeVisible();
      await pushFrame({ stack: "live/other", data: "# Other", store: writer });
      await waitFor(() => document.querySelectorAll('[aria-label="stacks"] li').length === 2, 10_000, "two stacks");
    } finally {
      viewer.close?.();
      writer.close?.();
      indexedDB.deleteDatabase(dbName);
    }
  });
});
