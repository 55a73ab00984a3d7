// dstack-kit/postgres: the StackStore and the user registry on PostgreSQL, for servers whose data lives in a
// database (`startServer({ database })` and `dstack server start --database` use them). Needs `pg` (an optional
// peer: install it to use this entry). Several servers on one database act as one.
export { type MigrateHomeOptions, type MigrationReport, migrateHomeToPostgres } from "./migrateHome";
export { migratePostgresSchema, SCHEMA_VERSION } from "./migrations";
export { createPostgresStore, type PostgresStore, type PostgresStoreOptions } from "./postgresStore";
export { openPostgresUserRegistry, type PostgresUserRegistry } from "./postgresUsers";
export { createPostgresPushSessions } from "./pushSessions";
