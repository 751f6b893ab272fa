/**
 * Dumont's user store: email + scrypt password hash, and HS256 session tokens signed with a secret
 * made fresh for each simulator (tokens of one simulator never work on another).
 */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { signJwt, verifyJwt } from '../core/jwt';

const TOKEN_DAYS = 45;

/** Stateful: the registered users and the token secret. */
export class DumontUsers {
  private readonly users = new Map<string, { salt: Buffer; hash: Buffer }>();
  private readonly secret = randomBytes(32);

  /** Registers a user; false when the email is taken. */
  register(email: string, password: string): boolean {
    const key = email.toLowerCase();
    if (this.users.has(key)) return false;
    const salt = randomBytes(16);
    this.users.set(key, { salt, hash: scryptSync(password, salt, 32) });
    return true;
  }

  /** True when the email exists and the password matches. */
  check(email: string, password: string): boolean {
    const user = this.users.get(email.toLowerCase());
    return user !== undefined && timingSafeEqual(user.hash, scryptSync(password, user.salt, 32));
  }

  /** A session token for `email` (real-time expiry, so long suites never see tokens expire). */
  issue(email: string): string {
    const now = Math.floor(Date.now() / 1000);
    return signJwt({ sub: email.toLowerCase(), iat: now, exp: now + TOKEN_DAYS * 86_400 }, this.secret);
  }

  /** The email of a valid token's user, or undefined. */
  verify(token: string): string | undefined {
    const payload = verifyJwt(token, this.secret, Date.now() / 1000);
    const sub = payload?.sub;
    return typeof sub === 'string' && this.users.has(sub) ? sub : undefined;
  }
}
