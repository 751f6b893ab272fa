/**
 * PURE: the "Route map" section of `docs/platform-contract.md`, rendered from {@link CONTRACT_ROUTES}. The doc holds
 * it between {@link ROUTE_MAP_BEGIN} and {@link ROUTE_MAP_END}; `npx tsx scripts/update-route-map.ts` rewrites it and a test fails
 * when the two differ.
 */
import { CONTRACT_ROUTES, type ContractRoute } from './routes';

export const ROUTE_MAP_BEGIN = '<!-- route-map:begin (generated from src/platform/contract/routes.ts) -->';
export const ROUTE_MAP_END = '<!-- route-map:end -->';

/** [1, 2, 3, 5] → "1–3, 5". */
export function formatIds(ids: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < ids.length; i++) {
    let j = i;
    while (j + 1 < ids.length && ids[j + 1] === ids[j] + 1) j++;
    parts.push(j > i + 1 ? `${ids[i]}–${ids[j]}` : j === i + 1 ? `${ids[i]}, ${ids[j]}` : `${ids[i]}`);
    i = j;
  }
  return parts.join(', ');
}

const ORIGIN: Record<ContractRoute['origin'], string> = {
  own: "Dumont's own",
  stub: "Dumont's stub",
  extension: 'extension',
};

function line(route: ContractRoute): string {
  const used =
    route.usedBy === 'all'
      ? 'every scenario'
      : `scenario${route.usedBy.length === 1 ? '' : 's'} ${formatIds(route.usedBy)}`;
  const origin = route.face === 'vast' ? 'VAST' : ORIGIN[route.origin];
  return `- \`${route.method} ${route.path}\`: ${used} (${origin})`;
}

/** The section's body (between the markers), one list per section of the contract. */
export function renderRouteMap(routes: readonly ContractRoute[] = CONTRACT_ROUTES): string {
  const sections = [...new Set(routes.map((r) => r.section))];
  const blocks = sections.map(
    (name) =>
      `**${name}**\n\n${routes
        .filter((r) => r.section === name)
        .map(line)
        .join('\n')}`
  );
  return `${ROUTE_MAP_BEGIN}\n\n${blocks.join('\n\n')}\n\n${ROUTE_MAP_END}`;
}

/** `doc` with its route map replaced by a fresh rendering; throws when the markers are missing. */
export function withRouteMap(doc: string, routes: readonly ContractRoute[] = CONTRACT_ROUTES): string {
  const begin = doc.indexOf(ROUTE_MAP_BEGIN);
  const end = doc.indexOf(ROUTE_MAP_END);
  if (begin < 0 || end < begin) throw new Error('docs/platform-contract.md has no route-map markers');
  return `${doc.slice(0, begin)}${renderRouteMap(routes)}${doc.slice(end + ROUTE_MAP_END.length)}`;
}
