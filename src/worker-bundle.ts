import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Everything a workflow bundle is built from: the sources (workflow code imports from all over `src/`). */
const SRC_DIR = path.resolve(__dirname);
/** The dependencies' exact versions, which the bundle includes too. */
const LOCK_FILE = path.resolve(__dirname, '..', 'package-lock.json');

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(p, out);
    else if (/\.(ts|js|json)$/.test(entry.name)) out.push(p);
  }
  return out;
}

/** A hash of every source file, the lock file and the SDK version: any change builds a new bundle. */
export function workflowSourceHash(workflowsPath: string): string {
  const hash = createHash('sha256');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  hash.update(`sdk ${(require('@temporalio/worker/package.json') as { version: string }).version}\n${workflowsPath}\n`);
  if (fs.existsSync(LOCK_FILE)) hash.update(fs.readFileSync(LOCK_FILE));
  for (const file of sourceFiles(SRC_DIR).sort())
    hash.update(`${path.relative(SRC_DIR, file)}\n`).update(fs.readFileSync(file));
  return hash.digest('hex').slice(0, 20);
}

/**
 * The workflow bundle of `workflowsPath`, built once per version of the sources and kept in
 * `<dataDir>/workflow-bundles/<hash>.js`: a worker started again (after a crash, on the same machine) is ready in
 * seconds instead of rebuilding it with webpack, and its outage is that much shorter. The file is written atomically;
 * a corrupt or missing one is rebuilt.
 */
export async function cachedWorkflowBundle(workflowsPath: string, dataDir: string): Promise<{ codePath: string }> {
  const dir = path.join(dataDir, 'workflow-bundles');
  const file = path.join(dir, `${workflowSourceHash(workflowsPath)}.js`);
  if (fs.existsSync(file)) return { codePath: file };
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN') });
  fs.mkdirSync(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, code);
  fs.renameSync(tmp, file);
  return { codePath: file };
}
