/**
 * Scrubbing of secrets from anything that may end up in an error message, a Temporal history or a report.
 * Defence in depth: requests never put secrets in URLs, but servers echo things back.
 */

/** Drops secret query parameters from `METHOD /path?query`. */
export function sanitizeEndpoint(endpoint: string): string {
  return endpoint.replace(/([?&])(api_key|apikey|key|token|access_token|password)=[^&\s]*/gi, '$1$2=[redacted]');
}

/**
 * Redacts bearer tokens, `api_key=` parameters, JSON `token`/`password` fields and the given literal
 * secrets. Applied to everything a server echoes back before it enters an error message.
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text
    .replace(/(bearer\s+)[A-Za-z0-9._~+/=-]+/gi, '$1[redacted]')
    .replace(/((?:api_key|apikey|access_token|token|password)=)[^&\s"']+/gi, '$1[redacted]')
    .replace(/("(?:token|password|api_key|access_token)"\s*:\s*")[^"]*"/gi, '$1[redacted]"');
  for (const secret of secrets) {
    // Very short "secrets" would redact ordinary words; real keys and passwords are long enough.
    if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  return out;
}
