/**
 * Versions the cluster script builds and runs, and that docker-compose.yml pins: one place, so the two stay one
 * topology (tests/stack/compose.test.ts checks the images against these).
 */

/** The Temporal server module, built with the machine's Go (`go install <module>/cmd/server@v<version>`). */
export const TEMPORAL_SERVER_MODULE = 'go.temporal.io/server';

/**
 * Temporal server release. 1.31.1 builds with Go ≥ 1.26.8 (1.32 wants Go ≥ 1.26.10); the TypeScript SDK 1.24 and the
 * dev server the project uses (`temporal` CLI 1.9, server 1.32) speak the same API.
 */
export const TEMPORAL_SERVER_VERSION = '1.31.1';

/** The server's SQL persistence plugin: PostgreSQL ≥ 12. */
export const SQL_PLUGIN = 'postgres12';

/** The oldest PostgreSQL major version the `postgres12` plugin supports. */
export const MIN_POSTGRES_MAJOR = 12;

/** The embedded schemas `temporal-sql-tool update-schema --schema-name` applies, per database. */
export const SCHEMAS = {
  temporal: 'postgresql/v12/temporal',
  temporal_visibility: 'postgresql/v12/visibility',
} as const;

/** Images of docker-compose.yml: the same server release, its admin tools (schema tool + CLI), PostgreSQL. */
export const COMPOSE_IMAGES = {
  server: `temporalio/server:${TEMPORAL_SERVER_VERSION}`,
  adminTools: `temporalio/admin-tools:${TEMPORAL_SERVER_VERSION}`,
  postgres: 'postgres:16.4-bookworm',
} as const;
