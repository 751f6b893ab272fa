import type { LabelRows } from './types';
import { labelRowSchema } from './dumont/schemas';

/**
 * Reads each raw instance row alone, keeping only id, label and state. A row that does not even have an id is
 * counted as unreadable (it may be ours: the caller asks another witness) instead of failing the whole list.
 */
export function readLabelRows(raw: readonly unknown[]): LabelRows {
  const out: LabelRows = { rows: [], unreadable: 0 };
  for (const row of raw) {
    const parsed = labelRowSchema.safeParse(row);
    if (!parsed.success) {
      out.unreadable++;
      continue;
    }
    const { id, label, actual_status, status, start_date } = parsed.data;
    out.rows.push({
      id,
      label,
      state: actual_status ?? status,
      ...(start_date !== undefined ? { startedAt: start_date } : {}),
    });
  }
  return out;
}
