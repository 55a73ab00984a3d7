import { fileURLToPath } from "node:url";
import { storybookTest } from "@storybook/addon-vitest/vitest-plugin";
import react from "@vitejs/plugin-react";
import { playwright } from "@vitest/browser-playwright";
import { defineConfig } from "vitest/config";
import { CHROMIUM_ARGS } from "./scripts/findChromium.mjs";

// scripts/test.mjs finds a Chromium and passes it here; Playwright never downloads a browser.
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

// One headless Chromium setup for every browser project (unit tests and stories). A function: Vitest names the
// instance objects after their project, so two projects must not share them.
const browser = () => ({
  enabled: true,
  headless: true,
  screenshotFailures: false,
  provider: playwright({
    launchOptions: {
      executablePath: chromium,
      args: CHROMIUM_ARGS,
    },
  }),
  instances: [{ browser: "chromium" as const }],
});

export default defineConfig({
  // Pre-bundle what browser tests and stories import, so Vite never re-optimises mid-run and reloads the page.
  optimizeDeps: {
    include: [
      "idb",
      "react",
      "react/jsx-runtime",
      "react/jsx-dev-runtime",
      "react-dom",
      "react-dom/client",
      "react-dom/server",
      "@tanstack/react-query",
      "@tanstack/react-virtual",
      "plotly.js-basic-dist",
      "react-markdown",
      "remark-gfm",
      "axe-core",
      "vitest-browser-react",
      "msw",
      "msw/browser",
      "comlink",
    ],
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "node",
          environment: "node",
          include: ["src/**/*.test.ts", "bench/**/*.test.ts"],
          exclude: ["src/**/*.browser.test.ts", "src/**/*.chromium.test.ts", "node_modules"],
        },
      },
      {
        // Node tests that drive a real Chromium from outside (Playwright), e.g. pages served by the real server.
        extends: true,
        test: {
          name: "chromium",
          environment: "node",
          include: ["src/**/*.chromium.test.ts", "examples/host-app/e2e/*.chromium.test.ts"],
          testTimeout: 60_000,
        },
      },
      {
        extends: true,
        plugins: [react()],
        test: {
          name: "jsdom",
          environment: "jsdom",
          include: ["src/react/**/*.test.tsx"],
          exclude: ["src/**/*.browser.test.tsx", "node_modules"],
          setupFiles: ["src/react/testing/setupJsdom.ts"],
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        plugins: [react()],
        test: {
          name: "browser",
          include: ["src/**/*.browser.test.ts", "src/**/*.browser.test.tsx"],
          testTimeout: 60_000,
          browser: browser(),
        },
      },
      {
        extends: true,
        plugins: [storybookTest({ configDir: fileURLToPath(new URL(".storybook", import.meta.url)) })],
        test: {
          name: "storybook",
          testTimeout: 120_000,
          browser: browser(),
        },
      },
    ],
  },
});
