import { existsSync } from 'node:fs';

/** Where Debian, Ubuntu and Chrome put their browser; `DUMONT_E2E_CHROMIUM` wins. */
const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

/**
 * The machine's Chromium for the browser tests. Missing, it throws the fix: the project's own setup (`.ci/run`)
 * installs it with `apt-get install -y chromium`; elsewhere set DUMONT_E2E_CHROMIUM to a Chromium or Chrome binary.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.DUMONT_E2E_CHROMIUM;
  if (configured) {
    if (!existsSync(configured)) throw new Error(`DUMONT_E2E_CHROMIUM=${configured}: no such file`);
    return configured;
  }
  const found = CANDIDATES.find((c) => existsSync(c));
  if (!found) {
    throw new Error(
      `the browser test needs Chromium and found none at ${CANDIDATES.join(', ')}: install it with ` +
        "'sudo apt-get install -y chromium' (what .ci/run does before npm test), or set DUMONT_E2E_CHROMIUM to a Chromium or Chrome binary"
    );
  }
  return found;
}
