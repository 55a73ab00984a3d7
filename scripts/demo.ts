// `npm start` (until the example host app lands): pushes the README's seed examples through the client API
// into an in-memory store, pulls them back and prints what the store holds.
import { createFrame, createMemoryStore, pull, pushFrame } from "../src/index";

const store = createMemoryStore();

// A static figure.
await pushFrame({
  stack: "simple",
  data: { data: [{ type: "scatter", x: [1, 2, 3, 4], y: [1, 4, 9, 16] }] },
  description: "My first plot",
  store,
});

// An interactive figure: one attachment per Coefficient, the kit builds a slider from them.
const frame = createFrame("line_plot", { store });
for (const c of [0.5, 1.0, 1.5, 2.0]) {
  const xs = Array.from({ length: 21 }, (_, x) => x);
  frame.commit(
    { data: [{ type: "scatter", x: xs, y: xs.map((x) => c * x) }], layout: { title: { text: `a = ${c}` } } },
    `Line plot with the coefficient of ${c}`,
    { Coefficient: c },
  );
}
await frame.push({ message: "four coefficients" });

// A dataset.
const day = 86_400_000;
const rows = Array.from({ length: 6 }, (_, i) => ({
  date: new Date(Date.UTC(2013, 0, 1) + i * day),
  A: Math.round(Math.sin(i) * 1000) / 1000,
  B: i * 2,
  label: i % 2 ? "odd" : "even",
}));
await pushFrame({ stack: "static_dataset_example", data: rows, description: "static dataset", store });

for (const stack of await store.listStacks()) {
  const info = await store.getStack(`/${stack.path}`);
  const params = info.head?.attachments.map((a) => JSON.stringify(a.params)).join(" ") ?? "";
  console.log(`${stack.path.padEnd(36)} ${info.head?.attachments.length} attachment(s) ${params}`);
}

const figure = (await pull("line_plot", { Coefficient: 1.5 }, { store })) as { layout: { title: { text: string } } };
console.log(`\npull("line_plot", { Coefficient: 1.5 }) → figure titled "${figure.layout.title.text}"`);
const table = await pull("static_dataset_example", undefined, { store, as: "rows" });
console.log('pull("static_dataset_example", undefined, { as: "rows" }) →');
console.table(table);
