/**
 * The workflow bundle, built once per version of the code and kept under the data dir, so a worker is ready in about
 * a second instead of webpacking `src/workflows` at every start (seconds; more on busy CI cores). The file is named
 * by a hash of every source file the bundle can include (all of `src/`) and of the lockfile (the SDK's workflow
 * runtime is bundled too): any change to either builds a new bundle, and an unchanged tree reuses it.
 */
import { bundleWorkflowCode, type WorkflowBundleOption } from '@temporalio/worker';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';

const SRC_DIR = __dirname;

/**
 * Workflow interceptor modules every bundle must include: without them workflow code would receive activity results
 * still wrapped with their in-place retries (src/workflows/interceptors.ts).
 */
export const WORKFLOW_INTERCEPTOR_MODULES = [path.join(SRC_DIR, 'workflows', 'interceptors.ts')];
const LOCKFILE = path.join(__dirname, '..', 'package-lock.json');

/** The folder under the data dir that holds the bundles. */
export function bundleDir(dataDir: string): string {
  return path.join(dataDir, 'workflow-bundle');
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .filter((f) => /\.(ts|js|cjs|mjs|json)$/.test(f))
    .sort();
}

/** Hash of the bundle's inputs: each source file's path and content, then the lockfile. */
export function workflowSourceHash(): string {
  const hash = createHash('sha256');
  for (const file of sourceFiles(SRC_DIR))
    hash.update(path.relative(SRC_DIR, file)).update('\0').update(readFileSync(file));
  if (existsSync(LOCKFILE)) hash.update(readFileSync(LOCKFILE));
  return hash.digest('hex').slice(0, 16);
}

/**
 * The bundle of `workflowsPath` for the current code: read from `<dataDir>/workflow-bundle/<hash>.js` when built
 * before, else built now and written there (atomically; older bundles removed). A cache that cannot be written only
 * costs the next start its bundling time.
 */
export async function cachedWorkflowBundle(dataDir: string, workflowsPath: string): Promise<WorkflowBundleOption> {
  const dir = bundleDir(dataDir);
  const file = path.join(dir, `${workflowSourceHash()}.js`);
  if (existsSync(file)) return { codePath: file };
  const { code } = await bundleWorkflowCode({
    workflowsPath,
    workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
  });
  try {
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, code);
    renameSync(tmp, file);
    for (const old of readdirSync(dir))
      if (path.join(dir, old) !== file && old.endsWith('.js')) rmSync(path.join(dir, old), { force: true });
  } catch {
    // read-only data dir: bundle again next time
  }
  return { code };
}
