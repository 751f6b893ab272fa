/**
 * How the Dumont face words its errors: always `{"error": ...}` (Dumont's error middleware rewrites
 * FastAPI's `detail`), 422 `{"error":"Validation error","details":[...]}` for bad input.
 */
import type { HttpFault } from '../core/fault-injector';
import type { FaceErrors } from '../core/http/face-server';
import { json, type SimResponse } from '../core/http/sim-http';

/** One FastAPI validation error item. */
export interface ValidationDetail {
  loc: string[];
  msg: string;
  type: string;
}

/** 422 `{"error":"Validation error","details":[...]}`. */
export const validationError = (details: ValidationDetail[]): SimResponse =>
  json(422, { error: 'Validation error', details });

/** The Dumont face's fault responses. */
export function dumontFaultResponse(fault: Exclude<HttpFault, { kind: 'drop' }>): SimResponse {
  if (fault.kind === '429') return json(429, { error: 'API requests too frequent, slow down' });
  const messages = { 500: 'Internal server error', 502: 'Bad gateway', 503: 'Service unavailable' } as const;
  return json(fault.status, { error: messages[fault.status] });
}

/** The Dumont face's {@link FaceErrors}. */
export const DUMONT_ERRORS: FaceErrors = {
  notFound: () => json(404, { error: 'Not Found' }),
  methodNotAllowed: () => json(405, { error: 'Method Not Allowed' }),
  badJson: () => validationError([{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }]),
  internalError: (err) => json(500, { error: 'Internal server error', details: String((err as Error).message) }),
  fault: dumontFaultResponse,
  // What Dumont answers when its VAST call to destroy fails.
  destroyFailed: (req) =>
    json(500, { error: req.params.id ? `Failed to destroy instance ${req.params.id}` : 'Failed to destroy resource' }),
};
