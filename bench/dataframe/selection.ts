// The dataframe benches' `--file=` and `--contender=` arguments: comma-separated, case-insensitive substrings of
// the names to run (all of them when the argument is absent). Shared by the Node and the Chromium bench.

/** Whether a file or a contender named `name` is selected by `args`. */
export function selection(args: readonly string[]): { file(name: string): boolean; contender(name: string): boolean } {
  const wanted = (flag: string) =>
    args
      .find((a) => a.startsWith(`--${flag}=`))
      ?.slice(flag.length + 3)
      .toLowerCase()
      .split(",")
      .filter(Boolean);
  const picks = (list: string[] | undefined) => (name: string) =>
    list === undefined || list.some((w) => name.toLowerCase().includes(w));
  return { file: picks(wanted("file")), contender: picks(wanted("contender")) };
}
