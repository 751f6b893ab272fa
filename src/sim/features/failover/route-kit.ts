/**
 * What the failover and warm-pool route files share: path ids and body fields validated as FastAPI's lax Pydantic
 * models do (422 `{"error":"Validation error","details":[...]}` in the Dumont face's shape), and Dumont-as-is checks.
 */
import { json, jsonBody, type SimRequest, type SimResponse } from '../../core/http/sim-http';
import { validationError, type ValidationDetail } from '../../dumont/dumont-errors';
import type { SimWorld } from '../../world';

/** Whether the simulator imitates the real Dumont server. */
export const asIs = (world: SimWorld): boolean => world.profile === 'dumont-as-is';

/** The integer path parameter `param`, or the 422 FastAPI answers. */
export function intParam(req: SimRequest, param: string, loc = param): number | SimResponse {
  const raw = req.params[param];
  const id = Number(raw);
  if (raw === undefined || raw.trim() === '' || !Number.isInteger(id)) {
    return validationError([{ loc: ['path', loc], msg: 'Input should be a valid integer', type: 'int_parsing' }]);
  }
  return id;
}

/** Reads a JSON body's fields with Pydantic's lax coercions, collecting 422 details. */
export class BodyFields {
  readonly details: ValidationDetail[] = [];
  readonly body: Record<string, unknown>;

  constructor(req: SimRequest) {
    this.body = jsonBody(req);
  }

  private bad(field: string, msg: string, type: string): undefined {
    this.details.push({ loc: ['body', field], msg, type });
    return undefined;
  }

  has(field: string): boolean {
    return this.body[field] !== undefined && this.body[field] !== null;
  }

  int(field: string, dflt?: number, min?: number, max?: number): number | undefined {
    const v = this.body[field];
    if (v === undefined || v === null) return dflt ?? this.bad(field, 'Field required', 'missing');
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    if (!Number.isInteger(n)) return this.bad(field, 'Input should be a valid integer', 'int_parsing');
    if (min !== undefined && n < min)
      return this.bad(field, `Input should be greater than or equal to ${min}`, 'greater_than_equal');
    if (max !== undefined && n > max)
      return this.bad(field, `Input should be less than or equal to ${max}`, 'less_than_equal');
    return n;
  }

  num(field: string, dflt?: number, min?: number): number | undefined {
    const v = this.body[field];
    if (v === undefined || v === null) return dflt ?? this.bad(field, 'Field required', 'missing');
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    if (!Number.isFinite(n)) return this.bad(field, 'Input should be a valid number', 'float_parsing');
    if (min !== undefined && n < min)
      return this.bad(field, `Input should be greater than or equal to ${min}`, 'greater_than_equal');
    return n;
  }

  bool(field: string, dflt: boolean): boolean {
    const v = this.body[field];
    if (v === undefined || v === null) return dflt;
    if (typeof v === 'boolean') return v;
    if (v === 0 || v === 1) return v === 1;
    if (typeof v === 'string') {
      const s = v.toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(s)) return true;
      if (['false', '0', 'no', 'off'].includes(s)) return false;
    }
    this.bad(field, 'Input should be a valid boolean', 'bool_parsing');
    return dflt;
  }

  str(field: string, dflt?: string): string | undefined {
    const v = this.body[field];
    if (v === undefined || v === null) return dflt;
    if (typeof v !== 'string') return this.bad(field, 'Input should be a valid string', 'string_type');
    return v;
  }

  /** The 422 when any field was bad. */
  error(): SimResponse | undefined {
    return this.details.length ? validationError(this.details) : undefined;
  }
}

/** 404 `{error}`. */
export const notFound = (message: string): SimResponse => json(404, { error: message });
/** 400 `{error}`. */
export const badRequest = (message: string): SimResponse => json(400, { error: message });
