// `node bench/size/run.mjs [--no-build] [--keep]`: what installing and bundling dstack-kit costs its two kinds of user.
//
// 1. A Node/CLI user: `npm pack`, then `npm install ./dstack-kit-<v>.tgz --omit=dev --ignore-scripts` in an empty
//    folder (needs the npm registry), and the size of node_modules, and whether React got installed.
// 2. A React user: a minimal Vite app rendering <DstackProvider><StackView/></DstackProvider>, built for production
//    with the repo's vite and @vitejs/plugin-react; the eager bundle (entry chunk and its static imports, what the
//    page loads before it renders anything) and the lazy chunks, gzipped. A React + react-query app without the
//    kit is built the same way as the baseline.
import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = fileURLToPath(new URL("../..", import.meta.url));
const args = new Set(process.argv.slice(2));
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const versionOf = (name) => pkg.devDependencies?.[name] ?? pkg.dependencies?.[name];

const run = (cmd, cmdArgs, cwd) =>
  execFileSync(cmd, cmdArgs, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
const npm = (cmdArgs, cwd) => run("npm", [...cmdArgs, "--no-audit", "--no-fund", "--loglevel=error"], cwd);

function bytesOf(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.size;
  let total = 0;
  for (const entry of readdirSync(path)) total += bytesOf(join(path, entry));
  return total;
}
function packagesIn(modules) {
  return readdirSync(modules)
    .filter((name) => !name.startsWith("."))
    .flatMap((name) => (name.startsWith("@") ? readdirSync(join(modules, name)).map((n) => `${name}/${n}`) : [name]));
}
const kb = (n) => `${(n / 1024).toFixed(1)} kB`;
const mb = (n) => `${(n / 1024 / 1024).toFixed(1)} MB`;
const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;

const work = mkdtempSync(join(tmpdir(), "dstack-kit-size-"));
try {
  if (!args.has("--no-build")) run("npm", ["run", "build", "--silent"], root);
  const [packed] = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", work, "--loglevel=error"], root));
  const tarball = join(work, packed.filename);
  console.log(`package: ${packed.filename}, ${kb(packed.size)} packed, ${kb(packed.unpackedSize)} unpacked`);

  // --- Node/CLI user ---
  const nodeUser = join(work, "node-user");
  mkdirSync(nodeUser);
  writeFileSync(join(nodeUser, "package.json"), JSON.stringify({ name: "node-user", private: true }));
  npm(["install", tarball, "--omit=dev", "--ignore-scripts"], nodeUser);
  const modules = join(nodeUser, "node_modules");
  const du = run("du", ["-sh", modules]).split("\t")[0];
  const installed = packagesIn(modules);
  const biggest = installed
    .map((name) => ({ name, bytes: bytesOf(join(modules, name)) }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 6);
  console.log("\nNode-only install (--omit=dev --ignore-scripts)");
  console.log(`  du -sh node_modules: ${du} (${mb(bytesOf(modules))} of files), ${installed.length} packages`);
  for (const name of ["react", "react-dom", "@tanstack/react-query", "plotly.js-basic-dist", "react-markdown"]) {
    console.log(`  ${name}: ${existsSync(join(modules, name)) ? "INSTALLED" : "not installed"}`);
  }
  console.log(`  biggest: ${biggest.map((b) => `${b.name} ${mb(b.bytes)}`).join(", ")}`);

  // --- React user: the minimal app and a baseline without the kit ---
  const app = join(work, "react-app");
  mkdirSync(join(app, "kit"), { recursive: true });
  mkdirSync(join(app, "baseline"), { recursive: true });
  writeFileSync(
    join(app, "package.json"),
    JSON.stringify({ name: "react-app", private: true, type: "module" }, null, 2),
  );
  // Only what the README asks a React user to install.
  const peers = ["react", "react-dom", "@tanstack/react-query"].map((name) => `${name}@${versionOf(name)}`);
  npm(["install", tarball, ...peers, "--ignore-scripts"], app);
  const appModules = join(app, "node_modules");
  console.log("\nReact app install (dstack-kit, react, react-dom, @tanstack/react-query)");
  console.log(
    `  du -sh node_modules: ${run("du", ["-sh", appModules]).split("\t")[0]}, ${packagesIn(appModules).length} packages`,
  );
  const html =
    '<!doctype html><html><body><div id="root"></div><script type="module" src="./main.jsx"></script></body></html>';
  writeFileSync(join(app, "kit", "index.html"), html);
  writeFileSync(
    join(app, "kit", "main.jsx"),
    `import { createRoot } from "react-dom/client";
import { createMemoryStore } from "dstack-kit";
import { DstackProvider, StackView } from "dstack-kit/react";

const store = createMemoryStore();
createRoot(document.getElementById("root")).render(
  <DstackProvider store={store}>
    <StackView stack="line_plot" />
  </DstackProvider>,
);
`,
  );
  writeFileSync(join(app, "baseline", "index.html"), html);
  writeFileSync(
    join(app, "baseline", "main.jsx"),
    `import { QueryClient, QueryClientProvider, useQuery } from "@tanstack/react-query";
import { createRoot } from "react-dom/client";

function Hello() {
  const query = useQuery({ queryKey: ["hello"], queryFn: async () => "hello" });
  return <p>{query.data}</p>;
}
createRoot(document.getElementById("root")).render(
  <QueryClientProvider client={new QueryClient()}>
    <Hello />
  </QueryClientProvider>,
);
`,
  );
  const plugin = join(root, "node_modules/@vitejs/plugin-react/dist/index.js");
  writeFileSync(
    join(app, "vite.config.mjs"),
    `import react from ${JSON.stringify(plugin)};
export default { plugins: [react()], logLevel: "warn", build: { manifest: true, emptyOutDir: true, chunkSizeWarningLimit: 100000 } };
`,
  );
  const vite = join(root, "node_modules/vite/bin/vite.js");

  const bundle = (name) => {
    const out = join(app, "dist", name);
    run(
      process.execPath,
      [vite, "build", join(app, name), "--config", join(app, "vite.config.mjs"), "--outDir", out],
      app,
    );
    const manifest = JSON.parse(readFileSync(join(out, ".vite/manifest.json"), "utf8"));
    const eager = new Set();
    const visit = (key) => {
      const chunk = manifest[key];
      if (eager.has(chunk.file)) return;
      eager.add(chunk.file);
      for (const css of chunk.css ?? []) eager.add(css);
      for (const next of chunk.imports ?? []) visit(next);
    };
    visit("index.html");
    const files = Object.values(manifest).map((c) => c.file);
    const lazy = [...new Set(files)].filter((f) => !eager.has(f));
    const sum = (list) =>
      list.reduce((t, f) => ({ raw: t.raw + bytesOf(join(out, f)), gzip: t.gzip + gz(join(out, f)) }), {
        raw: 0,
        gzip: 0,
      });
    return { eager: sum([...eager]), lazy: lazy.map((f) => ({ file: f, ...sum([f]) })) };
  };
  const kit = bundle("kit");
  const baseline = bundle("baseline");
  console.log("\nMinimal <StackView> app, vite build (gzip -9)");
  console.log(`  eager: ${kb(kit.eager.gzip)} gzip (${kb(kit.eager.raw)} raw)`);
  console.log(
    `  baseline (react + react-dom + react-query, no kit): ${kb(baseline.eager.gzip)} gzip (${kb(baseline.eager.raw)} raw)`,
  );
  console.log(`  the kit's share of the eager bundle: ${kb(kit.eager.gzip - baseline.eager.gzip)} gzip`);
  for (const chunk of kit.lazy.sort((a, b) => b.gzip - a.gzip)) {
    console.log(`  lazy ${chunk.file}: ${kb(chunk.gzip)} gzip (${kb(chunk.raw)} raw)`);
  }
} finally {
  if (args.has("--keep")) console.log(`\nkept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
