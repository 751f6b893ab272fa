/**
 * Writes the defect table of docs/simulator.md from the simulator's defect registry, between its markers.
 * Run: npx tsx scripts/update-defect-table.ts   (tests/sim/defect-registry.test.ts fails while it is stale)
 */
import fs from 'node:fs';
import path from 'node:path';
import { DEFECT_TABLE_MARKERS, renderDefectTable } from '../src/sim/defect-table';

const doc = path.join(__dirname, '..', 'docs', 'simulator.md');
const text = fs.readFileSync(doc, 'utf8');
const start = text.indexOf(DEFECT_TABLE_MARKERS.start);
const end = text.indexOf(DEFECT_TABLE_MARKERS.end);
if (start < 0 || end < start) {
  throw new Error(
    `${doc}: put the markers\n${DEFECT_TABLE_MARKERS.start}\n${DEFECT_TABLE_MARKERS.end}\nwhere the table goes`
  );
}
const next = `${text.slice(0, start + DEFECT_TABLE_MARKERS.start.length)}\n\n${renderDefectTable()}\n\n${text.slice(end)}`;
if (next !== text) fs.writeFileSync(doc, next);
process.stdout.write(next === text ? `${doc}: defect table up to date\n` : `${doc}: defect table rewritten\n`);
