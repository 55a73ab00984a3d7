interface ObjectUrlLog {
  created: Set<string>;
  revoked: Set<string>;
}

// On globalThis: the setup file and the test files may hold separate instances of this module.
const KEY = "__dstackObjectUrls";
type WithLog = typeof globalThis & { [KEY]?: ObjectUrlLog };

/** Replaces URL.createObjectURL/revokeObjectURL with recording stand-ins (jsdom tests). */
export function installObjectUrlStubs(): void {
  const log: ObjectUrlLog = { created: new Set(), revoked: new Set() };
  (globalThis as WithLog)[KEY] = log;
  let next = 0;
  URL.createObjectURL = () => {
    next += 1;
    const url = `blob:jsdom/${next}`;
    log.created.add(url);
    return url;
  };
  URL.revokeObjectURL = (url: string) => {
    log.revoked.add(url);
  };
}

/** The object URLs created and revoked so far. */
export function objectUrls(): ObjectUrlLog {
  const log = (globalThis as WithLog)[KEY];
  if (!log) throw new Error("installObjectUrlStubs() has not run");
  return log;
}
