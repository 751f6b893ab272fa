/**
 * How each hostile mode rewrites one successful answer. Bodies that could be large (huge, drip) are streams, so
 * the simulator never holds them in memory.
 */
import { STATUS_CODES } from 'node:http';
import { Readable } from 'node:stream';
import { HOSTILE_DEFAULTS, type HostileMode, type HostileSettings } from './modes';

/** The rewritten answer: status and content type when changed, and the payload to send. */
export interface SpoiledAnswer {
  status?: number;
  contentType?: string;
  payload: string | Readable;
}

/** An nginx error page, as a proxy in front of the platform sends it. */
function htmlPage(status: number): string {
  const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

/** Every number in a JSON value turned into its string form (a backend that serialises decimals as strings). */
function numbersToStrings(value: unknown): unknown {
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.map(numbersToStrings);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, numbersToStrings(v)]));
  }
  return value;
}

/** A valid JSON document of about `bytes` bytes, generated as it is read. */
function hugeJson(bytes: number): Readable {
  const row = JSON.stringify({ id: 1, label: 'x'.repeat(200), actual_status: 'running' });
  const rows = Math.max(1, Math.floor(bytes / (row.length + 1)));
  return Readable.from(
    (function* () {
      yield '{"instances":[';
      // Chunks of many rows: one row per chunk would make the stream itself the bottleneck.
      const perChunk = 256;
      for (let i = 0; i < rows; i += perChunk) {
        const n = Math.min(perChunk, rows - i);
        yield (i === 0 ? '' : ',') + Array(n).fill(row).join(',');
      }
      yield ']}';
    })(),
    { objectMode: false }
  );
}

/** `text` sent a few bytes at a time, `perSecond` bytes a second; stops when the client goes away. */
function drip(text: string, perSecond: number): Readable {
  const tickMs = 250;
  const perTick = Math.max(1, Math.round(perSecond / (1000 / tickMs)));
  let offset = 0;
  let timer: NodeJS.Timeout | undefined;
  return new Readable({
    read() {
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        const chunk = text.slice(offset, offset + perTick);
        offset += perTick;
        this.push(chunk === '' ? null : chunk);
      }, tickMs);
    },
    destroy(err, callback) {
      if (timer) clearTimeout(timer);
      callback(err);
    },
  });
}

/** Rewrites one successful JSON answer `text` under `mode`. */
export function spoil(mode: HostileMode, text: string, settings: HostileSettings): SpoiledAnswer {
  switch (mode) {
    case 'malformed-json':
      return { payload: text.replace(/"/g, "'") };
    case 'html-page': {
      const status = settings.status ?? HOSTILE_DEFAULTS.status;
      return { status, contentType: 'text/html', payload: htmlPage(status) };
    }
    case 'empty-body':
      return { payload: '' };
    case 'truncated-body':
      return { payload: text.slice(0, Math.max(1, Math.floor(text.length / 2))) };
    case 'huge-body':
      return { payload: hugeJson(settings.hugeBytes ?? HOSTILE_DEFAULTS.hugeBytes) };
    case 'wrong-content-type':
      return { contentType: 'text/html; charset=utf-8', payload: text };
    case 'wrong-field-types':
      return { payload: JSON.stringify(numbersToStrings(JSON.parse(text))) };
    case 'slow-drip':
      return { payload: drip(text, settings.dripBytesPerSecond ?? HOSTILE_DEFAULTS.dripBytesPerSecond) };
    case 'empty-instance-list': {
      const body = JSON.parse(text) as Record<string, unknown>;
      return { payload: JSON.stringify({ ...body, instances: [], instances_found: 0, next_token: null }) };
    }
  }
}
