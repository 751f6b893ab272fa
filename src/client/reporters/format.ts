import { CATEGORIES } from '../../catalog/types';
import type { ScenarioResult } from '../../workflows/types';
import { sortById } from './summary';

// XML 1.0 forbids most C0 controls and lone surrogates even as character references, so they are dropped.
// eslint-disable-next-line no-control-regex
const XML_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\n': '&#10;',
  '\r': '&#13;',
  '\t': '&#9;',
};

/** Text safe inside an XML element. */
export function escapeXmlText(text: string): string {
  return xmlChars(text).replace(/[&<>]/g, (ch) => ENTITIES[ch]);
}

/** Text safe inside a double- or single-quoted XML attribute; line breaks and tabs survive attribute normalisation. */
export function escapeXmlAttr(text: string): string {
  return xmlChars(text).replace(/[&<>"'\n\r\t]/g, (ch) => ENTITIES[ch]);
}

function xmlChars(text: string): string {
  return text.replace(XML_CONTROL, '').replace(LONE_SURROGATE, '');
}

/** Text safe in HTML content and quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => (ch === "'" ? '&#39;' : ENTITIES[ch]));
}

/** `850ms`, `12.3s`, `3m 12s`, `1h 02m`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '-';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const totalSeconds = Math.round(ms / 1000);
  if (totalSeconds < 3600) return `${Math.floor(totalSeconds / 60)}m ${String(totalSeconds % 60).padStart(2, '0')}s`;
  const minutes = Math.floor(totalSeconds / 60);
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

/** `$0.0123` below a dollar (simulated runs cost fractions of a cent), `$7.65` above. */
export function formatUsd(usd: number): string {
  return `$${usd.toFixed(Math.abs(usd) < 1 ? 4 : 2)}`;
}

/** `123.4 GPU-s`. */
export function formatGpuSeconds(seconds: number): string {
  return `${seconds.toFixed(1)} GPU-s`;
}

/** Scenarios grouped by category: the catalog's categories in seed order, then unknown ones by name; ids ascending. */
export function groupByCategory(scenarios: readonly ScenarioResult[]): Array<[string, ScenarioResult[]]> {
  const groups = new Map<string, ScenarioResult[]>();
  for (const scenario of sortById(scenarios)) {
    const group = groups.get(scenario.category) ?? [];
    group.push(scenario);
    groups.set(scenario.category, group);
  }
  const rank = (category: string) => {
    const index = (CATEGORIES as readonly string[]).indexOf(category);
    return index === -1 ? CATEGORIES.length : index;
  };
  return [...groups].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}
