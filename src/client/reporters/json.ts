import type { SuiteResult } from '../../workflows/types';
import type { ReportContext } from './context';
import { toJsonReport } from './summary';
import { writeTextFile } from './write-file';

/** Writes the JSON report (docs/reports.md) (see {@link toJsonReport}) to `file`; resolves to its absolute path. */
export function writeJsonReport(result: SuiteResult, file: string, context?: ReportContext): Promise<string> {
  return writeTextFile(file, `${JSON.stringify(toJsonReport(result, context), null, 2)}\n`);
}
