/**
 * Writes the route map of docs/platform-contract.md from src/platform/contract/routes.ts, between its markers.
 * Run: npx tsx scripts/update-route-map.ts   (tests/platform/contract-routes.test.ts fails while it is stale)
 */
import fs from 'node:fs';
import path from 'node:path';
import { withRouteMap } from '../src/platform/contract/render';

const doc = path.join(__dirname, '..', 'docs', 'platform-contract.md');
const text = fs.readFileSync(doc, 'utf8');
const next = withRouteMap(text);
if (next !== text) fs.writeFileSync(doc, next);
process.stdout.write(next === text ? `${doc}: route map up to date\n` : `${doc}: route map rewritten\n`);
