/** Two-letter tokens of a free-text geolocation ("Frankfurt, DE" → ["DE"]). */
export function countryCodes(geolocation: string): string[] {
  return geolocation
    .split(/[,\s]+/)
    .map((t) => t.trim())
    .filter((t) => /^[A-Z]{2}$/.test(t));
}

/** The EU plus the EEA and the UK and Switzerland: what a user forcing region "EU" means by Europe. */
export const EU_COUNTRIES = new Set(
  'AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE NO CH GB IS'.split(' ')
);

export function inEurope(geolocation: string): boolean {
  return countryCodes(geolocation).some((c) => EU_COUNTRIES.has(c));
}
