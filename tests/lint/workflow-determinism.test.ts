/**
 * Workflow code must stay deterministic; ESLint is what enforces it. These cases prove the rules fire on the
 * mistakes that would break replay (node builtins, network clients, wall-clock measuring) and stay quiet
 * outside src/workflows.
 */
import { ESLint } from 'eslint';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..', '..');
const eslint = new ESLint({ cwd: ROOT });

/** Lints `code` as if it were the content of `file` (an existing file, so type-aware rules can parse it). */
async function lint(code: string, file: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('determinism lint for src/workflows', () => {
  it.each([
    ["import fs from 'node:fs';\nexport const x = fs;\n", /Node builtins are not allowed/],
    ["import { readFileSync } from 'fs';\nexport const x = readFileSync;\n", /Node builtins are not allowed/],
    ["import axios from 'axios';\nexport const x = axios;\n", /Clients belong in activities/],
    ["import { Client } from '@temporalio/client';\nexport const x = Client;\n", /Not allowed in workflow code/],
    ['export const started = Date.now();\n', /Measure time in activities/],
    ["import { createActivities } from '../activities';\nexport const x = createActivities;\n", /as types only/],
  ])('rejects %j', async (code, expected) => {
    const messages = await lint(code, 'src/workflows/validate.ts');
    expect(messages.join('\n')).toMatch(expected);
  });

  it.each([
    [
      'src/workflows/kit/context.ts',
      "import os from 'node:os';\nexport const x = os;\n",
      /Node builtins are not allowed/,
    ],
    [
      'src/workflows/scenarios/lifecycle/001-create-rtx-4090.ts',
      'export const t = performance.now();\n',
      /Measure time in activities/,
    ],
    [
      'src/workflows/scenarios/lifecycle/001-create-rtx-4090.ts',
      "import { DEFECTS } from '../../../sim/defect-registry';\nexport const x = DEFECTS;\n",
      /as types only/,
    ],
  ])('applies to the kit and to every scenario file (%s)', async (file, code, expected) => {
    expect((await lint(code, file)).join('\n')).toMatch(expected);
  });

  it('allows type-only imports of activities and the same code outside workflows', async () => {
    expect(
      await lint(
        "import type { Activities } from '../activities';\nexport type A = Activities;\n",
        'src/workflows/validate.ts'
      )
    ).toEqual([]);
    expect(
      await lint(
        "import fs from 'node:fs';\nexport const now = Date.now() + fs.constants.F_OK;\n",
        'src/activities/polling.ts'
      )
    ).toEqual([]);
  });

  it('holds for every workflow file in the tree', { timeout: 60_000 }, async () => {
    const results = await eslint.lintFiles(['src/workflows']);
    const errors = results.flatMap((r) =>
      r.messages.filter((m) => m.severity === 2).map((m) => `${r.filePath}:${m.line} ${m.message}`)
    );
    expect(errors).toEqual([]);
    expect(results.length).toBeGreaterThan(5);
  });
});
