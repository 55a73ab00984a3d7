// The dataframe benches' `--file=` and `--contender=` arguments: comma-separated, case-insensitive substrings of
// the names to run (all of them when the argument is absent), and `--input=string`. Shared by the Node and the
// Chromium bench.

/** Whether a file or a contender named `name` is selected by `args`. */
export function selection(args: readonly string[]): {
  file(name: string): boolean;
  contender(name: string): boolean;
  /** What every contender is given: the file's bytes (the default) or its text, decoded before the clock. */
  input: "bytes" | "string";
} {
  const wanted = (flag: string) =>
    args
      .find((a) => a.startsWith(`--${flag}=`))
      ?.slice(flag.length + 3)
      .toLowerCase()
      .split(",")
      .filter(Boolean);
  const picks = (list: string[] | undefined) => (name: string) =>
    list === undefined || list.some((w) => name.toLowerCase().includes(w));
  const input = wanted("input")?.[0] ?? "bytes";
  if (input !== "bytes" && input !== "string") throw new Error(`--input=${input}: bytes or string`);
  return { file: picks(wanted("file")), contender: picks(wanted("contender")), input };
}
