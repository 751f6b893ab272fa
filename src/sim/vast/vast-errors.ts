/** How the VAST face words its errors, faults included (`docs/simulator.md` § VAST face, § Transient faults). */
import type { FaceErrors } from '../core/http/face-server';
import { json, type SimResponse } from '../core/http/sim-http';
import type { HttpFault } from '../core/fault-injector';

/** A wrong or missing API key. */
export const AUTH_ERROR = json(401, { success: false, error: 'auth_error', msg: 'Invalid user key' });

/** The 429 bodies VAST sends, in rotation: plain text, `{detail}`, `{success,error,msg}`; nginx HTML for 502/503. */
export function vastFaultResponse(fault: Exclude<HttpFault, { kind: 'drop' }>): SimResponse {
  if (fault.kind === '429') {
    if (fault.shape === 0) return { status: 429, text: 'API requests too frequent endpoint threshold=2.0' };
    if (fault.shape === 1) return json(429, { detail: 'API requests too frequent endpoint threshold=4.5' });
    return json(429, {
      success: false,
      error: 'rate_limit_exceeded',
      msg: 'API requests too frequent endpoint threshold=3.0',
    });
  }
  if (fault.status === 500) return json(500, { success: false, error: 'internal_error', msg: 'Internal server error' });
  const title = fault.status === 502 ? '502 Bad Gateway' : '503 Service Temporarily Unavailable';
  return {
    status: fault.status,
    text: `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`,
    contentType: 'text/html',
  };
}

/** The VAST face's {@link FaceErrors}. */
export const VAST_ERRORS: FaceErrors = {
  notFound: (req) => json(404, { success: false, error: 'not_found', msg: `No route for ${req.method} ${req.path}` }),
  methodNotAllowed: (req) =>
    json(405, { success: false, error: 'method_not_allowed', msg: `${req.method} not allowed on ${req.path}` }),
  badJson: () => json(400, { error: 'invalid_request', msg: 'Invalid json body' }),
  internalError: (err) => json(500, { success: false, error: 'internal_error', msg: (err as Error).message }),
  fault: vastFaultResponse,
  destroyFailed: () =>
    json(500, { success: false, error: 'internal_error', msg: 'Internal server error while destroying; try again' }),
};
