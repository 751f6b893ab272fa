/**
 * Dataset validation for `POST /finetune/jobs/upload-dataset`: every record of a `.jsonl` (one per line) or `.json`
 * (an array) file must parse and carry the fields its format needs. A refusal names the line (1-based) and the field,
 * so a user can fix the file. Dumont itself stores whatever it is sent (`dumont-as-is` does the same).
 */

/** The dataset formats Dumont accepts (`dataset_format`). */
export const DATASET_FORMATS = ['alpaca', 'sharegpt', 'raw'] as const;
export type DatasetFormat = (typeof DATASET_FORMATS)[number];

/** What a valid dataset holds. */
export interface DatasetSummary {
  records: number;
}

/** Why a dataset was refused: the line and, where one is missing or wrong, the field. */
export interface DatasetProblem {
  line: number;
  field?: string;
  message: string;
}

const isText = (v: unknown): boolean => typeof v === 'string';

/** The first field of `record` that `format` needs and lacks, or undefined when it has them all. */
function missingField(record: unknown, format: DatasetFormat): string | undefined {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return '(record)';
  const r = record as Record<string, unknown>;
  if (format === 'raw') return isText(r.text) ? undefined : 'text';
  if (format === 'alpaca') return ['instruction', 'output'].find((f) => !isText(r[f]));
  const turns = r.conversations;
  if (!Array.isArray(turns) || turns.length === 0) return 'conversations';
  const bad = turns.findIndex(
    (t) =>
      typeof t !== 'object' ||
      t === null ||
      !isText((t as Record<string, unknown>).from) ||
      !isText((t as Record<string, unknown>).value)
  );
  return bad >= 0 ? `conversations[${bad}]` : undefined;
}

/** Validates `body` (`.jsonl` unless `filename` ends in `.json`) as `format`; a summary or the first problem. */
export function validateDataset(
  filename: string,
  body: Buffer,
  format: DatasetFormat
): DatasetSummary | DatasetProblem {
  const text = body.toString('utf8');
  let records: { line: number; value: unknown }[] = [];
  if (filename.toLowerCase().endsWith('.json')) {
    try {
      const all: unknown = JSON.parse(text);
      if (!Array.isArray(all)) return { line: 1, message: 'a .json dataset must be an array of records' };
      records = all.map((value, i) => ({ line: i + 1, value }));
    } catch (err) {
      return { line: 1, message: `not valid JSON: ${(err as Error).message}` };
    }
  } else {
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (lines[i].trim() === '') continue;
      try {
        records.push({ line: i + 1, value: JSON.parse(lines[i]) });
      } catch (err) {
        return { line: i + 1, message: `not valid JSON: ${(err as Error).message}` };
      }
    }
  }
  if (records.length === 0) return { line: 1, message: 'the dataset has no records' };
  for (const r of records) {
    const field = missingField(r.value, format);
    if (field) return { line: r.line, field, message: `missing or invalid field '${field}' (${format})` };
  }
  return { records: records.length };
}
