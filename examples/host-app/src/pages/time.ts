const format = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export function formatTime(timestamp: number): string {
  return format.format(new Date(timestamp));
}
