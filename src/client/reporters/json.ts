import type { SuiteResult } from '../../workflows/types';
import { toJsonReport } from './summary';
import { writeTextFile } from './write-file';

/** Writes the JSON report (docs/reports.md) (see {@link toJsonReport}) to `file`; resolves to its absolute path. */
export function writeJsonReport(result: SuiteResult, file: string): Promise<string> {
  return writeTextFile(file, `${JSON.stringify(toJsonReport(result), null, 2)}\n`);
}
