/** The platform layer: typed errors, the HTTP clients of Dumont and VAST, SSH and run keys. */
export * from './types';
export {
  AuthError,
  InvalidRequestError,
  NotFoundError,
  OfferUnavailableError,
  PlatformError,
  PlatformLacksError,
  PlatformUnavailableError,
  isNoRoute,
  ProtocolError,
  RateLimitedError,
  TransientPlatformError,
  toPlatformError,
  type PlatformErrorInit,
  type PlatformErrorKind,
  type ToPlatformErrorOptions,
} from './errors';
export { redactSecrets, sanitizeEndpoint } from './redact';
export { createHttpClient, type HttpClient, type HttpClientOptions, type HttpRequest, type RetryOptions } from './http';
export { createVastClient, type VastClientOptions } from './vast/client';
export { createDumontClient, type DumontAuth, type DumontClientOptions } from './dumont/client';
export { isDroppedSession, probeSsh, sshExec, type SshExecOptions } from './ssh';
export { generateRunKeyPair, keyFingerprint, type RunKeyPair } from './keys';
