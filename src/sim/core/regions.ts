/** Host locations of the catalogue and the region names Dumont's offer search accepts. */

/** Free-text VAST geolocations (city, country code), grouped so any two neighbours include Europe. */
export const LOCATIONS: readonly string[] = [
  'Texas, US',
  'Frankfurt, DE',
  'Tokyo, JP',
  'Paris, FR',
  'California, US',
  'Amsterdam, NL',
  'Seoul, KR',
  'Stockholm, SE',
  'Virginia, US',
  'Warsaw, PL',
  'Singapore, SG',
  'Helsinki, FI',
  'Washington, US',
  'Madrid, ES',
  'Taipei, TW',
  'Nuremberg, DE',
  'Florida, US',
  'Lyon, FR',
];

const EUROPE = [
  'DE',
  'FR',
  'NL',
  'SE',
  'PL',
  'FI',
  'ES',
  'IT',
  'BE',
  'NO',
  'DK',
  'CZ',
  'AT',
  'IE',
  'PT',
  'RO',
  'BG',
  'HU',
  'GB',
  'CH',
];
const ASIA = ['JP', 'KR', 'SG', 'TW', 'HK', 'CN', 'IN', 'TH', 'VN', 'MY', 'ID', 'PH'];
const NORTH_AMERICA = ['US', 'CA', 'MX'];

/** Region words (Dumont's RegionMapper: region, continent) → country codes. */
const REGIONS: Record<string, string[]> = {
  US: ['US'],
  NA: NORTH_AMERICA,
  'NORTH-AMERICA': NORTH_AMERICA,
  'NORTH AMERICA': NORTH_AMERICA,
  EU: EUROPE,
  EUROPE,
  ASIA,
  APAC: ASIA,
};

/** The country code a free-text geolocation ends with ("Texas, US" → "US"); "" when there is none. */
export function countryOf(geolocation: string): string {
  const parts = geolocation.split(',').map((p) => p.trim().toUpperCase());
  return parts.reverse().find((p) => /^[A-Z]{2}$/.test(p) && p !== 'NA') ?? '';
}

/**
 * Country codes a Dumont `region` value stands for: a region (US, EU, ASIA), a continent, or a country
 * code itself; case-insensitive.
 */
export function regionCountries(region: string): string[] {
  const key = region.trim().toUpperCase();
  return REGIONS[key] ?? [key];
}
