/** The campaign's table (stdout and `chaos/results/latest.md`) and its JSON twin. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChaosRow } from './types';

/** Campaign-level facts printed above the table. */
export interface CampaignMeta {
  seed: number;
  short: boolean;
  minutes: number;
  /** False while the campaign still runs (the file is rewritten after every part). */
  done?: boolean;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s+/g, ' ');
}

/** Per part: trials, how many were ok, lost, leaked, false failures. */
function summaryLines(rows: readonly ChaosRow[]): string[] {
  const parts = [...new Set(rows.map((r) => r.part))];
  const lines = ['| part | trials | ok | lost | leaked | false failures |', '|---|---:|---:|---:|---:|---:|'];
  for (const part of parts) {
    const of = rows.filter((r) => r.part === part);
    const sum = (f: (r: ChaosRow) => number): number => of.reduce((n, r) => n + f(r), 0);
    lines.push(
      `| ${part} | ${of.length} | ${of.filter((r) => r.outcome === 'ok').length} | ${sum((r) => r.lost)} | ` +
        `${sum((r) => r.leaked)} | ${sum((r) => r.falseFailures.length)} |`
    );
  }
  return lines;
}

/** The markdown report: summary per part, every trial, then every false failure with its cause. */
export function formatTable(rows: readonly ChaosRow[], meta: CampaignMeta): string {
  const failures = rows.flatMap((r) =>
    r.falseFailures.map((f) => `- ${r.part} #${r.trial} (seed ${r.seed}) ${f.scenario}: ${cell(f.why)}`)
  );
  return [
    `# Chaos campaign, seed ${meta.seed}${meta.short ? ' (--short)' : ''}${meta.done === false ? ' (in progress)' : ''}`,
    '',
    `${new Date().toISOString()} on ${os.cpus().length} cores (load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}), ${meta.minutes.toFixed(1)} min`,
    '',
    ...summaryLines(rows),
    '',
    '| part | trial | seed | outcome | lost | leaked | false failures | s | detail |',
    '|---|---|---:|---|---:|---:|---:|---:|---|',
    ...rows.map(
      (r) =>
        `| ${r.part} | ${r.trial} | ${r.seed} | ${r.outcome} | ${r.lost} | ${r.leaked} | ${r.falseFailures.length} | ` +
        `${r.seconds ?? ''} | ${cell(r.detail)} |`
    ),
    '',
    '## False failures',
    '',
    ...(failures.length ? failures : ['none']),
  ].join('\n');
}

/** Writes `latest.md` and `latest.json` into `dir`; returns their paths. */
export function writeResults(dir: string, rows: readonly ChaosRow[], meta: CampaignMeta & { table: string }): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const md = path.join(dir, meta.short ? 'latest-short.md' : 'latest.md');
  const json = path.join(dir, meta.short ? 'latest-short.json' : 'latest.json');
  fs.writeFileSync(md, `${meta.table}\n`);
  const { table: _table, ...rest } = meta;
  fs.writeFileSync(json, `${JSON.stringify({ ...rest, at: new Date().toISOString(), rows }, null, 2)}\n`);
  return [md, json];
}
