/**
 * The SFTP subsystem of an instance's SSH endpoint, so default `scp` (SFTP since OpenSSH 9) and `sftp` work as on a
 * VAST instance. Files are the simulator's real files: relative paths start in the instance's workspace (its home),
 * absolute paths are taken as they are, as the instance's commands see them (the simulator has no chroot).
 */
import fs from 'node:fs';
import path from 'node:path';
import { utils, type Attributes, type SFTPWrapper } from 'ssh2';

const { OPEN_MODE, STATUS_CODE } = utils.sftp;

type Open = { kind: 'file'; fd: number } | { kind: 'dir'; dir: string; entries: string[] | null };

function attrsOf(st: fs.Stats): Attributes {
  return {
    mode: st.mode,
    uid: st.uid,
    gid: st.gid,
    size: st.size,
    atime: Math.floor(st.atimeMs / 1000),
    mtime: Math.floor(st.mtimeMs / 1000),
  };
}

/** `ls -l` style line for a READDIR entry (clients print it). */
function longname(name: string, st: fs.Stats): string {
  const type = st.isDirectory() ? 'd' : st.isSymbolicLink() ? 'l' : '-';
  const bits = 'rwxrwxrwx'
    .split('')
    .map((c, i) => (st.mode & (1 << (8 - i)) ? c : '-'))
    .join('');
  const date = new Date(st.mtimeMs).toUTCString().slice(5, 16);
  return `${type}${bits} 1 root root ${String(st.size).padStart(8)} ${date} ${name}`;
}

function errorCode(err: unknown): number {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return STATUS_CODE.NO_SUCH_FILE;
  if (code === 'EACCES' || code === 'EPERM') return STATUS_CODE.PERMISSION_DENIED;
  return STATUS_CODE.FAILURE;
}

/** Node's `open` flags for SFTP's pflags. */
function openFlags(flags: number): number {
  const read = (flags & OPEN_MODE.READ) !== 0;
  const write = (flags & (OPEN_MODE.WRITE | OPEN_MODE.APPEND)) !== 0;
  let out = read && write ? fs.constants.O_RDWR : write ? fs.constants.O_WRONLY : fs.constants.O_RDONLY;
  if (flags & OPEN_MODE.APPEND) out |= fs.constants.O_APPEND;
  if (flags & OPEN_MODE.CREAT) out |= fs.constants.O_CREAT;
  if (flags & OPEN_MODE.TRUNC) out |= fs.constants.O_TRUNC;
  if (flags & OPEN_MODE.EXCL) out |= fs.constants.O_EXCL;
  return out;
}

/** Serves SFTP requests on `sftp` with `home` as the working directory; handles close when the session ends. */
export function serveSftp(sftp: SFTPWrapper, home: string): void {
  const open = new Map<number, Open>();
  let nextHandle = 1;
  const resolve = (p: string): string => path.resolve(home, p === '' ? '.' : p);
  const newHandle = (entry: Open): Buffer => {
    const id = nextHandle++;
    open.set(id, entry);
    const buf = Buffer.alloc(4);
    buf.writeUInt32BE(id);
    return buf;
  };
  const lookup = (handle: Buffer): [number, Open | undefined] => {
    const id = handle.length === 4 ? handle.readUInt32BE(0) : -1;
    return [id, open.get(id)];
  };
  /** Runs `fn`, answering its error as an SFTP status. */
  const guard = (reqId: number, fn: () => void): void => {
    try {
      fn();
    } catch (err) {
      sftp.status(reqId, errorCode(err), (err as Error).message);
    }
  };
  const setAttrs = (target: string | number, attrs: Attributes): void => {
    if (attrs.mode !== undefined) {
      if (typeof target === 'number') fs.fchmodSync(target, attrs.mode & 0o7777);
      else fs.chmodSync(target, attrs.mode & 0o7777);
    }
    if (attrs.atime !== undefined && attrs.mtime !== undefined) {
      if (typeof target === 'number') fs.futimesSync(target, attrs.atime, attrs.mtime);
      else fs.utimesSync(target, attrs.atime, attrs.mtime);
    }
    if (attrs.size !== undefined && typeof target === 'number') fs.ftruncateSync(target, attrs.size);
  };

  sftp.on('REALPATH', (reqId, p) =>
    guard(reqId, () => {
      const full = resolve(p);
      sftp.name(reqId, [{ filename: full, longname: full, attrs: {} as Attributes }]);
    })
  );
  sftp.on('OPEN', (reqId, filename, flags, attrs) =>
    guard(reqId, () => {
      const mode = attrs?.mode !== undefined ? attrs.mode & 0o7777 : 0o644;
      const fd = fs.openSync(resolve(filename), openFlags(flags), mode);
      sftp.handle(reqId, newHandle({ kind: 'file', fd }));
    })
  );
  sftp.on('READ', (reqId, handle, offset, len) =>
    guard(reqId, () => {
      const [, entry] = lookup(handle);
      if (entry?.kind !== 'file') return sftp.status(reqId, STATUS_CODE.FAILURE, 'bad handle');
      const buf = Buffer.alloc(len);
      const n = fs.readSync(entry.fd, buf, 0, len, offset);
      if (n === 0) return sftp.status(reqId, STATUS_CODE.EOF);
      sftp.data(reqId, buf.subarray(0, n));
    })
  );
  sftp.on('WRITE', (reqId, handle, offset, data) =>
    guard(reqId, () => {
      const [, entry] = lookup(handle);
      if (entry?.kind !== 'file') return sftp.status(reqId, STATUS_CODE.FAILURE, 'bad handle');
      fs.writeSync(entry.fd, data, 0, data.length, offset);
      sftp.status(reqId, STATUS_CODE.OK);
    })
  );
  sftp.on('FSTAT', (reqId, handle) =>
    guard(reqId, () => {
      const [, entry] = lookup(handle);
      if (!entry) return sftp.status(reqId, STATUS_CODE.FAILURE, 'bad handle');
      sftp.attrs(reqId, attrsOf(entry.kind === 'file' ? fs.fstatSync(entry.fd) : fs.statSync(entry.dir)));
    })
  );
  sftp.on('FSETSTAT', (reqId, handle, attrs) =>
    guard(reqId, () => {
      const [, entry] = lookup(handle);
      if (!entry) return sftp.status(reqId, STATUS_CODE.FAILURE, 'bad handle');
      setAttrs(entry.kind === 'file' ? entry.fd : entry.dir, attrs);
      sftp.status(reqId, STATUS_CODE.OK);
    })
  );
  sftp.on('CLOSE', (reqId, handle) =>
    guard(reqId, () => {
      const [id, entry] = lookup(handle);
      if (!entry) return sftp.status(reqId, STATUS_CODE.FAILURE, 'bad handle');
      open.delete(id);
      if (entry.kind === 'file') fs.closeSync(entry.fd);
      sftp.status(reqId, STATUS_CODE.OK);
    })
  );
  sftp.on('OPENDIR', (reqId, p) =>
    guard(reqId, () => {
      const dir = resolve(p);
      if (!fs.statSync(dir).isDirectory()) return sftp.status(reqId, STATUS_CODE.FAILURE, 'not a directory');
      sftp.handle(reqId, newHandle({ kind: 'dir', dir, entries: null }));
    })
  );
  sftp.on('READDIR', (reqId, handle) =>
    guard(reqId, () => {
      const [, entry] = lookup(handle);
      if (entry?.kind !== 'dir') return sftp.status(reqId, STATUS_CODE.FAILURE, 'bad handle');
      // The whole listing in one answer, then EOF.
      if (entry.entries !== null) return sftp.status(reqId, STATUS_CODE.EOF);
      entry.entries = ['.', '..', ...fs.readdirSync(entry.dir)];
      const names = entry.entries.map((name) => {
        const st = fs.lstatSync(path.join(entry.dir, name));
        return { filename: name, longname: longname(name, st), attrs: attrsOf(st) };
      });
      sftp.name(reqId, names);
    })
  );
  sftp.on('STAT', (reqId, p) => guard(reqId, () => sftp.attrs(reqId, attrsOf(fs.statSync(resolve(p))))));
  sftp.on('LSTAT', (reqId, p) => guard(reqId, () => sftp.attrs(reqId, attrsOf(fs.lstatSync(resolve(p))))));
  sftp.on('SETSTAT', (reqId, p, attrs) =>
    guard(reqId, () => {
      setAttrs(resolve(p), attrs);
      sftp.status(reqId, STATUS_CODE.OK);
    })
  );
  const simple = (event: 'REMOVE' | 'RMDIR', fn: (p: string) => void) =>
    sftp.on(event, (reqId: number, p: string) =>
      guard(reqId, () => {
        fn(resolve(p));
        sftp.status(reqId, STATUS_CODE.OK);
      })
    );
  simple('REMOVE', (p) => fs.unlinkSync(p));
  simple('RMDIR', (p) => fs.rmdirSync(p));
  sftp.on('MKDIR', (reqId, p, attrs) =>
    guard(reqId, () => {
      fs.mkdirSync(resolve(p), attrs?.mode !== undefined ? attrs.mode & 0o7777 : 0o755);
      sftp.status(reqId, STATUS_CODE.OK);
    })
  );
  sftp.on('RENAME', (reqId, from, to) =>
    guard(reqId, () => {
      fs.renameSync(resolve(from), resolve(to));
      sftp.status(reqId, STATUS_CODE.OK);
    })
  );
  sftp.on('READLINK', (reqId, p) =>
    guard(reqId, () => {
      const target = fs.readlinkSync(resolve(p));
      sftp.name(reqId, [{ filename: target, longname: target, attrs: {} as Attributes }]);
    })
  );
  sftp.on('SYMLINK', (reqId, target, link) =>
    guard(reqId, () => {
      fs.symlinkSync(target, resolve(link));
      sftp.status(reqId, STATUS_CODE.OK);
    })
  );
  sftp.on('EXTENDED', (reqId) => sftp.status(reqId, STATUS_CODE.OP_UNSUPPORTED));
  // The client's EOF ends the session: answer with exit status 0, EOF and close, as sshd's sftp-server does;
  // without the status OpenSSH's scp reports failure, without the close it waits forever. ssh2's server SFTP
  // object has no public exit(), so its channel's protocol is used directly.
  sftp.on('end', () => {
    const raw = sftp as unknown as {
      outgoing: { id: number; state: string };
      _protocol: { exitStatus(id: number, status: number): void; channelEOF(id: number): void };
    };
    if (raw.outgoing.state === 'open') {
      raw._protocol.exitStatus(raw.outgoing.id, 0);
      raw._protocol.channelEOF(raw.outgoing.id);
    }
    sftp.end();
  });
  sftp.on('close', () => {
    for (const entry of open.values()) if (entry.kind === 'file') fs.closeSync(entry.fd);
    open.clear();
  });
}
