import { defineConfig } from "tsup";

export default defineConfig({
  entry: { index: "src/index.ts" },
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "es2022",
  splitting: true,
  treeshake: true,
  // Peers and heavy optional libraries stay out of the bundle; danfojs is only ever imported lazily.
  external: ["react", "react-dom", "@tanstack/react-query", "danfojs", "idb"],
});
