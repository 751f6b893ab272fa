/**
 * The `result_url`s of VAST's asynchronous operations (logs, execute; vast-api.md §3.7): each a one-off URL on the
 * VAST face (`/_results/<token>`, no auth, as VAST's are pre-signed S3 URLs) that answers 404 until the result is
 * written, then 200 with it as plain text.
 */
import { randomUUID } from 'node:crypto';
import type { FaceRoute } from '../core/http/face-server';
import type { SimResponse } from '../core/http/sim-http';
import type { SimWorld } from '../world';

/** Path prefix of the result URLs. */
const PREFIX = '/_results/';

/** Stateful: the results of one world, by token; null while pending. */
const stores = new WeakMap<SimWorld, Map<string, string | null>>();

function storeOf(world: SimWorld): Map<string, string | null> {
  let store = stores.get(world);
  if (!store) stores.set(world, (store = new Map()));
  return store;
}

/** A new pending result: its path on the VAST face and the function that writes it. */
export function pendingResult(world: SimWorld): { path: string; write: (text: string) => void } {
  const token = randomUUID();
  const store = storeOf(world);
  store.set(token, null);
  return { path: `${PREFIX}${token}`, write: (text) => store.set(token, text) };
}

/** `GET /_results/:token`: 404 (S3's NoSuchKey) until written. */
export function resultRoutes(world: SimWorld): FaceRoute[] {
  return [
    {
      method: 'GET',
      path: `${PREFIX}:token`,
      faultable: false,
      handle: (req): SimResponse => {
        const text = storeOf(world).get(req.params.token);
        if (text === undefined || text === null) {
          return {
            status: 404,
            contentType: 'application/xml',
            text: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>',
          };
        }
        return { status: 200, contentType: 'text/plain; charset=utf-8', text };
      },
    },
  ];
}
