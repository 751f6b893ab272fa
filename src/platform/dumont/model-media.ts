/**
 * What the harness makes and checks for the model servers, independently of them: speech audio (text encoded as one
 * tone per character, the code docs/platform-contract.md § Models defines, with a little noise), the word error
 * rate of a transcript, a PNG's validity (signature, chunk CRCs, header, the pixel data's size once inflated) and
 * cosine similarity.
 */
import { createHash } from 'node:crypto';
import { crc32, inflateSync } from 'node:zlib';

/** The characters the tone code carries, in frequency order: character i is a tone of 500 + 40·i Hz. */
export const TONE_ALPHABET = " abcdefghijklmnopqrstuvwxyz'0123456789";
const SAMPLE_RATE = 16_000;
const TONE_MS = 40;
const GAP_MS = 20;

/** A 16-bit mono 16 kHz WAV of `text` (lower-cased; other characters are dropped), deterministic per text. */
export function synthesizeSpeech(text: string): Buffer {
  const chars = [...text.toLowerCase()].filter((c) => TONE_ALPHABET.includes(c));
  const per = ((TONE_MS + GAP_MS) * SAMPLE_RATE) / 1000;
  const lead = SAMPLE_RATE / 10;
  const samples = new Int16Array(lead * 2 + chars.length * per);
  let seed = createHash('sha256').update(text).digest().readUInt32BE(0) || 1;
  const noise = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return ((seed >>> 0) / 4294967295) * 2 - 1;
  };
  const toneLen = (TONE_MS * SAMPLE_RATE) / 1000;
  for (let i = 0; i < samples.length; i++) samples[i] = Math.round(noise() * 0.01 * 32767);
  chars.forEach((c, k) => {
    const f = 500 + 40 * TONE_ALPHABET.indexOf(c);
    const amp = 0.45 + 0.1 * Math.abs(noise());
    for (let j = 0; j < toneLen; j++) {
      const at = lead + k * per + j;
      const v = amp * Math.sin((2 * Math.PI * f * j) / SAMPLE_RATE) + noise() * 0.01;
      samples[at] = Math.round(Math.max(-1, Math.min(1, v)) * 32767);
    }
  });
  const data = Buffer.from(samples.buffer);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(SAMPLE_RATE, 24);
  header.writeUInt32LE(SAMPLE_RATE * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

const wordsOf = (text: string): string[] =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9' ]+/g, ' ')
    .split(/\s+/)
    .filter(Boolean);

/** Word error rate of `heard` against `said`: word-level edit distance / words said. */
export function wordErrorRate(said: string, heard: string): number {
  const a = wordsOf(said);
  const b = wordsOf(heard);
  if (a.length === 0) return b.length === 0 ? 0 : 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length] / a.length;
}

/** What a PNG check found. */
export interface PngReport {
  valid: boolean;
  problems: string[];
  width: number;
  height: number;
  /** Distinct RGB colours among sampled pixels (1 = blank). */
  distinctColours: number;
  sha256: string;
  bytes: number;
}

/** Checks a PNG as a decoder would: signature, chunk order and CRCs, IHDR, and the inflated pixel data's size. */
export function inspectPng(png: Buffer): PngReport {
  const problems: string[] = [];
  const report: PngReport = {
    valid: false,
    problems,
    width: 0,
    height: 0,
    distinctColours: 0,
    sha256: createHash('sha256').update(png).digest('hex'),
    bytes: png.length,
  };
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (png.length < 8 || !png.subarray(0, 8).equals(signature)) {
    problems.push('no PNG signature');
    return report;
  }
  const idat: Buffer[] = [];
  let colourType = -1;
  let bitDepth = 0;
  let sawEnd = false;
  for (let at = 8; at + 12 <= png.length && !sawEnd;) {
    const len = png.readUInt32BE(at);
    const type = png.toString('ascii', at + 4, at + 8);
    if (at + 12 + len > png.length) {
      problems.push(`chunk ${type} runs past the end`);
      break;
    }
    const body = png.subarray(at + 4, at + 8 + len);
    if (crc32(body) >>> 0 !== png.readUInt32BE(at + 8 + len)) problems.push(`bad CRC in ${type}`);
    const data = png.subarray(at + 8, at + 8 + len);
    if (type === 'IHDR') {
      report.width = data.readUInt32BE(0);
      report.height = data.readUInt32BE(4);
      bitDepth = data[8];
      colourType = data[9];
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') sawEnd = true;
    at += 12 + len;
  }
  if (!sawEnd) problems.push('no IEND chunk');
  if (report.width === 0 || report.height === 0) problems.push('no IHDR (or a zero size)');
  const channels = colourType === 2 ? 3 : colourType === 6 ? 4 : colourType === 0 ? 1 : 0;
  if (bitDepth !== 8 || channels === 0)
    problems.push(`unsupported pixel format (depth ${bitDepth}, colour ${colourType})`);
  if (problems.length === 0) {
    let raw: Buffer;
    try {
      raw = inflateSync(Buffer.concat(idat));
    } catch (err) {
      problems.push(`IDAT does not inflate: ${(err as Error).message}`);
      return report;
    }
    const stride = 1 + report.width * channels;
    if (raw.length !== stride * report.height) {
      problems.push(`pixel data is ${raw.length} bytes, ${stride * report.height} expected`);
    } else {
      const colours = new Set<string>();
      const step = Math.max(1, Math.floor((report.width * report.height) / 4096));
      for (let p = 0; p < report.width * report.height; p += step) {
        const y = Math.floor(p / report.width);
        const x = p % report.width;
        // Filter 0 rows only hold raw values; others still differ when the image does, which is all we count.
        const at = y * stride + 1 + x * channels;
        colours.add(raw.subarray(at, at + channels).toString('hex'));
      }
      report.distinctColours = colours.size;
    }
  }
  report.valid = problems.length === 0;
  return report;
}

/** Cosine similarity of two vectors. */
export function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}
