import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Postgres } from './postgres';
import { SCHEMAS, SQL_PLUGIN } from './versions';

const execFileAsync = promisify(execFile);

/** The `temporal-sql-tool` invocations that create one database and bring its schema to the release's latest. */
export function schemaSteps(database: keyof typeof SCHEMAS): string[][] {
  return [['create-database'], ['setup-schema', '-v', '0.0'], ['update-schema', '--schema-name', SCHEMAS[database]]];
}

/**
 * Creates the `temporal` and `temporal_visibility` databases and applies the schemas embedded in the tool. The
 * connection, password included, goes through the tool's environment (SQL_*), never its argv.
 *
 * @throws Error quoting the tool's output when a step fails.
 */
export async function setupSchemas(sqlTool: string, pg: Postgres, log: (line: string) => void): Promise<void> {
  for (const database of Object.keys(SCHEMAS) as (keyof typeof SCHEMAS)[]) {
    const env = {
      PATH: process.env.PATH ?? '',
      SQL_PLUGIN,
      SQL_HOST: '127.0.0.1',
      SQL_PORT: String(pg.port),
      SQL_USER: pg.user,
      SQL_PASSWORD: pg.password,
      SQL_DATABASE: database,
    };
    for (const step of schemaSteps(database)) {
      try {
        await execFileAsync(sqlTool, ['--plugin', SQL_PLUGIN, ...step], { env, timeout: 120_000 });
      } catch (err) {
        const e = err as { stdout?: string; stderr?: string; message: string };
        throw new Error(
          `temporal-sql-tool ${step[0]} (${database}) failed: ${(e.stderr || e.stdout || e.message).trim()}`
        );
      }
    }
    log(`  schema ${SCHEMAS[database]} applied to database ${database}`);
  }
}
