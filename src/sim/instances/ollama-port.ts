/**
 * The loopback port each instance's Ollama listens on. A real instance has the machine to itself and uses
 * Ollama's default 127.0.0.1:11434; here every simulated instance shares this machine's loopback (and other
 * simulators may run beside this one), so each instance gets a port of its own, exported to its commands as
 * `OLLAMA_HOST=127.0.0.1:<port>`. Ports are drawn at random below the kernel's ephemeral range (so no
 * `listen(0)`, e.g. an SSH host's, can take one meanwhile), checked free, and never handed out twice by this
 * process. Random, not from the world's PRNG: drawing from it would shift every later seeded draw.
 */
import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';

const handedOut = new Set<number>();

/** The lowest ephemeral port (Linux), or 32768. */
function ephemeralLow(): number {
  try {
    const low = Number(fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 12_000 ? low : 32_768;
  } catch {
    return 32_768;
  }
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A free loopback port for one instance's Ollama. */
export async function allocateOllamaPort(): Promise<number> {
  const high = ephemeralLow();
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = randomInt(10_000, high);
    if (port === 11_434 || handedOut.has(port)) continue;
    handedOut.add(port);
    if (await canBind(port)) return port;
  }
  throw new Error('no free loopback port for OLLAMA_HOST');
}
