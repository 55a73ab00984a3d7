// Which data a test server runs on: files under its temp HOME (default), or a PostgreSQL database. A PostgreSQL
// variant of a server test file chooses the database, then imports the file, whose tests then run against it.
let newDatabase: (() => Promise<string>) | undefined;

/** Test servers set up after this run on a new database from `create` each. */
export function runTestServersOn(create: () => Promise<string>): void {
  newDatabase = create;
}

/** The database URL for the next test server, if test servers run on PostgreSQL. */
export const testServerDatabase = async (): Promise<string | undefined> => newDatabase?.();
