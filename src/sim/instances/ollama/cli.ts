/**
 * The client half of the script: HTTP requests to the server and the CLI commands, then the entry point. Verbatim
 * script text (no template placeholders).
 */
export const CLI_PART = String.raw`// ---------------------------------------------------------------------------------------------- client

function request(method, urlPath, body, onLine) {
  const { host, port } = address();
  const target = host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host;
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      { host: target, port, method, path: urlPath, headers: payload ? { 'content-type': 'application/json' } : {} },
      (res) => {
        let buffer = '';
        let text = '';
        let failed = false;
        const each = (line) => {
          if (failed || !line.trim()) return;
          try {
            onLine(JSON.parse(line));
          } catch (err) {
            failed = true;
            res.destroy();
            reject(err);
          }
        };
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          text += chunk;
          if (!onLine || res.statusCode !== 200) return;
          buffer += chunk;
          let nl;
          while ((nl = buffer.indexOf('\n')) >= 0) {
            each(buffer.slice(0, nl));
            buffer = buffer.slice(nl + 1);
          }
        });
        res.on('end', () => {
          if (onLine && res.statusCode === 200) each(buffer);
          if (failed) return;
          let json = null;
          try {
            json = JSON.parse(text);
          } catch {
            // NDJSON or plain text.
          }
          resolve({ status: res.statusCode, json, text });
        });
      }
    );
    req.on('error', (err) => reject(err));
    if (payload) req.write(payload);
    req.end();
  });
}

class CliError extends Error {}

async function call(method, urlPath, body, onLine) {
  let reply;
  try {
    reply = await request(method, urlPath, body, onLine);
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError('could not connect to ollama app, is it running?');
  }
  if (reply.status !== 200) throw new CliError((reply.json && reply.json.error) || reply.text.trim() || 'status ' + reply.status);
  return reply;
}

function humanSize(bytes) {
  if (bytes >= 1e9) return (bytes / 1e9).toFixed(1) + ' GB';
  if (bytes >= 1e6) return (bytes / 1e6).toFixed(1) + ' MB';
  if (bytes >= 1e3) return (bytes / 1e3).toFixed(1) + ' KB';
  return bytes + ' B';
}

function ago(iso) {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (s < 60) return s <= 1 ? 'Less than a second ago' : s + ' seconds ago';
  const m = Math.round(s / 60);
  if (m < 60) return m === 1 ? 'About a minute ago' : m + ' minutes ago';
  const h = Math.round(m / 60);
  if (h < 48) return h === 1 ? 'About an hour ago' : h + ' hours ago';
  return Math.round(h / 24) + ' days ago';
}

function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] + 4))).join('').trimEnd()).join('\n') + '\n';
}

async function pullCommand(name) {
  let last = '';
  await call('POST', '/api/pull', { model: name }, (p) => {
    if (p.error) throw new CliError(p.error);
    let line = p.status;
    if (p.total && p.completed === p.total) line += '... 100% ' + humanSize(p.total);
    else if (p.total) return;
    if (line !== last) process.stderr.write(line + '\n');
    last = line;
  });
}

function readStdin() {
  return new Promise((resolve) => {
    if (process.stdin.isTTY) return resolve('');
    let text = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (c) => (text += c));
    process.stdin.on('end', () => resolve(text));
    process.stdin.on('error', () => resolve(text));
  });
}

const USAGE =
  'Large language model runner (simulated)\n\nUsage:\n  ollama [flags]\n  ollama [command]\n\nAvailable Commands:\n' +
  '  serve       Start ollama\n  pull        Pull a model from a registry\n  list        List models\n' +
  '  ps          List running models\n  run         Run a model\n  rm          Remove a model\n  help        Help about any command\n\n' +
  'Flags:\n  -h, --help      help for ollama\n  -v, --version   Show version information\n';

async function main(argv) {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case 'help':
    case '-h':
    case '--help':
      process.stdout.write(USAGE);
      return 0;
    case '-v':
    case '--version':
    case 'version':
      try {
        const reply = await request('GET', '/api/version');
        process.stdout.write('ollama version is ' + ((reply.json && reply.json.version) || VERSION) + '\n');
      } catch {
        process.stdout.write('Warning: could not connect to a running Ollama instance\nWarning: client version is ' + VERSION + '\n');
      }
      return 0;
    case 'serve':
    case 'start':
      serve();
      return null;
    case 'pull':
      if (rest.length !== 1) throw new CliError('accepts 1 arg(s), received ' + rest.length);
      await pullCommand(rest[0]);
      return 0;
    case 'list':
    case 'ls': {
      const { json } = await call('GET', '/api/tags');
      const rows = [['NAME', 'ID', 'SIZE', 'MODIFIED']];
      for (const m of json.models) rows.push([m.name, m.digest.slice(0, 12), humanSize(m.size), ago(m.modified_at)]);
      process.stdout.write(table(rows));
      return 0;
    }
    case 'ps': {
      const { json } = await call('GET', '/api/ps');
      const rows = [['NAME', 'ID', 'SIZE', 'PROCESSOR', 'UNTIL']];
      for (const m of json.models) rows.push([m.name, m.digest.slice(0, 12), humanSize(m.size), '100% GPU', 'About a minute from now']);
      process.stdout.write(table(rows));
      return 0;
    }
    case 'rm':
      if (!rest.length) throw new CliError('requires at least 1 arg(s), only received 0');
      for (const name of rest) {
        await call('DELETE', '/api/delete', { model: name });
        process.stdout.write("deleted '" + name + "'\n");
      }
      return 0;
    case 'run': {
      const flags = rest.filter((a) => a.startsWith('-'));
      const args = rest.filter((a) => !a.startsWith('-'));
      if (!args.length) throw new CliError('requires at least 1 arg(s), only received 0');
      const [name, ...words] = args;
      let prompt = words.join(' ');
      const stdin = await readStdin();
      // As the real client: a stdin that is not a terminal is read to its end and goes before the prompt.
      if (stdin) prompt = prompt ? stdin + ' ' + prompt : stdin;
      const show = await request('POST', '/api/show', { model: name }).catch(() => {
        throw new CliError('could not connect to ollama app, is it running?');
      });
      if (show.status === 404) await pullCommand(name);
      else if (show.status !== 200) throw new CliError((show.json && show.json.error) || 'status ' + show.status);
      if (!prompt.trim()) {
        await call('POST', '/api/generate', { model: name, prompt: '' });
        return 0;
      }
      let final = null;
      await call('POST', '/api/generate', { model: name, prompt }, (p) => {
        if (p.error) throw new CliError(p.error);
        if (p.response) process.stdout.write(p.response);
        if (p.done) final = p;
      });
      process.stdout.write('\n\n');
      if (flags.includes('--verbose') && final) {
        process.stderr.write(
          'total duration:       ' + final.total_duration / 1e6 + 'ms\nload duration:        ' + final.load_duration / 1e6 +
            'ms\neval count:           ' + final.eval_count + ' token(s)\n'
        );
      }
      return 0;
    }
    default:
      throw new CliError('unknown command "' + command + '" for "ollama"');
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== null) process.exitCode = code;
  },
  (err) => {
    process.stderr.write('Error: ' + (err instanceof CliError ? err.message : (err && err.stack) || String(err)) + '\n');
    process.exitCode = 1;
  }
);
`;
