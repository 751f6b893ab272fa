/**
 * The simulator's offline Python package index (PEP 503 "simple" API on loopback): one small real package,
 * `dumont-e2e-probe`, whose wheel is built here from the sources below, so a job's `pip install` works with no
 * network and fails, as pip does, for a package the index does not have.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** The package the index serves: name, version and the module it installs. */
export const PROBE_PACKAGE = { name: 'dumont-e2e-probe', version: '1.4.2', module: 'dumont_e2e_probe' } as const;

const MODULE_SOURCE = `"""dumont-e2e-probe: a tiny package served by the simulator's offline index."""
import hashlib

__version__ = "${PROBE_PACKAGE.version}"


def fingerprint(text):
    """The SHA-256 of the text, hex: proves the module's code ran, not only that it imported."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
`;

/** A running index: its `--index-url` and how to stop it. */
export interface PackageIndex {
  url: string;
  close(): Promise<void>;
}

let crcTable: Uint32Array | null = null;
function crc32(buf: Buffer): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const b of buf) crc = crcTable[(crc ^ b) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** A zip archive of `files`, stored uncompressed (all a wheel needs). */
function zip(files: [string, Buffer][]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of files) {
    const nameBuf = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBuf, data);
    centrals.push(central, nameBuf);
    offset += 30 + nameBuf.length + data.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

const b64sha = (data: Buffer): string => createHash('sha256').update(data).digest('base64url');

/** The probe package's wheel: its file name and bytes. */
export function buildWheel(): { file: string; bytes: Buffer } {
  const { name, version, module } = PROBE_PACKAGE;
  const dist = `${module}-${version}`;
  const files: [string, Buffer][] = [
    [`${module}/__init__.py`, Buffer.from(MODULE_SOURCE)],
    [`${dist}.dist-info/METADATA`, Buffer.from(`Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n`)],
    [
      `${dist}.dist-info/WHEEL`,
      Buffer.from('Wheel-Version: 1.0\nGenerator: dumont-e2e-sim\nRoot-Is-Purelib: true\nTag: py3-none-any\n'),
    ],
  ];
  const record = [...files.map(([f, d]) => `${f},sha256=${b64sha(d)},${d.length}`), `${dist}.dist-info/RECORD,,`].join(
    '\n'
  );
  files.push([`${dist}.dist-info/RECORD`, Buffer.from(`${record}\n`)]);
  return { file: `${dist}-py3-none-any.whl`, bytes: zip(files) };
}

/** Starts the index on a loopback port. */
export async function startPackageIndex(): Promise<PackageIndex> {
  const wheel = buildWheel();
  const sha = createHash('sha256').update(wheel.bytes).digest('hex');
  const project = PROBE_PACKAGE.name;
  const server = http.createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0];
    const html = (body: string): void => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!DOCTYPE html><html><body>${body}</body></html>`);
    };
    if (url === '/simple/' || url === '/simple') return html(`<a href="/simple/${project}/">${project}</a>`);
    // pip normalizes names (PEP 503): dumont_e2e_probe, Dumont-E2E-Probe → dumont-e2e-probe.
    const m = /^\/simple\/([^/]+)\/?$/.exec(url);
    if (m && m[1].toLowerCase().replace(/[-_.]+/g, '-') === project)
      return html(`<a href="/files/${wheel.file}#sha256=${sha}">${wheel.file}</a>`);
    if (url === `/files/${wheel.file}`) {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': wheel.bytes.length });
      return void res.end(wheel.bytes);
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('Not Found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/simple/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
