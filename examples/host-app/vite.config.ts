// The example host app. It imports only the kit's public entries (dstack-kit, dstack-kit/react,
// dstack-kit/dataframe); these aliases point them at the kit's source, in dev and in the production build, so the
// app always runs the checkout's code and `npm start` needs no library build first.
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const src = (path: string) => fileURLToPath(new URL(`../../src/${path}`, import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  // `npm start` serves from the repository; the kit's source lives two folders up.
  server: { fs: { allow: [fileURLToPath(new URL("../..", import.meta.url))] } },
  // Its own pre-bundle cache, apart from the one Vitest and Storybook share.
  cacheDir: fileURLToPath(new URL("../../node_modules/.vite-host-app", import.meta.url)),
  plugins: [react()],
  resolve: {
    alias: [
      { find: /^dstack-kit$/, replacement: src("index.ts") },
      { find: /^dstack-kit\/react$/, replacement: src("react/index.ts") },
      { find: /^dstack-kit\/dataframe$/, replacement: src("dataframe/index.ts") },
      { find: /^danfojs$/, replacement: fileURLToPath(new URL("src/noDanfo.ts", import.meta.url)) },
    ],
  },
  optimizeDeps: {
    // Pre-bundled on start, so the first page load does not trigger a re-optimisation and a reload.
    include: [
      "react",
      "react/jsx-runtime",
      "react/jsx-dev-runtime",
      "react-dom",
      "react-dom/client",
      "@tanstack/react-query",
      "@tanstack/react-virtual",
      "idb",
      "plotly.js-basic-dist",
      "react-markdown",
      "remark-gfm",
    ],
  },
  build: {
    // Shipped in the package: `dstack server start` serves it at /.
    outDir: fileURLToPath(new URL("../../dist/app", import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 4096,
    reportCompressedSize: false,
  },
});
