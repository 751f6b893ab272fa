/** HS256 JSON Web Tokens, as Dumont issues them (`sub` = email, `exp` in 45 days). */
import { createHmac, timingSafeEqual } from 'node:crypto';

const b64 = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

/** Signs `payload` with `secret`. */
export function signJwt(payload: Record<string, unknown>, secret: Buffer): string {
  const head = b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64(JSON.stringify(payload));
  const signature = b64(createHmac('sha256', secret).update(`${head}.${body}`).digest());
  return `${head}.${body}.${signature}`;
}

/** The payload of a well-signed, unexpired HS256 token; undefined otherwise. */
export function verifyJwt(token: string, secret: Buffer, nowSeconds: number): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [head, body, signature] = parts;
  const expected = createHmac('sha256', secret).update(`${head}.${body}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (header.alg !== 'HS256') return undefined;
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (typeof payload.exp === 'number' && payload.exp < nowSeconds) return undefined;
    return payload;
  } catch {
    return undefined;
  }
}
