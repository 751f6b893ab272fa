/**
 * SSH keys on the VAST face: the account's keys (`/api/v0/ssh/`), copied into every instance when it is
 * created, and per-instance keys (`/api/v0/instances/{id}/ssh/`), effective at the next SSH login.
 */
import { json, jsonBody, type SimResponse } from '../../core/http/sim-http';
import type { SimInstance } from '../../instances/instance-record';
import type { SimWorld } from '../../world';
import { defineFeature } from '../types';
import { accountKeyRow, validKey, type SshKeyState } from './key-store';

export type { AccountKey, SshKeyState } from './key-store';

const NO_SSH_KEY = json(400, { success: false, error: 'no_ssh_key', msg: 'Invalid or missing ssh_key' });
const NO_SUCH_KEY = json(404, { success: false, error: 'no_such_ssh_key', msg: 'SSH key not found' });

/** The live instance `:id` names, or VAST's 400/404. */
function instanceOf(world: SimWorld, rawId: string | undefined): SimInstance | SimResponse {
  const id = Number(rawId);
  if (!Number.isInteger(id) || id <= 0)
    return json(400, { success: false, error: 'invalid_args', msg: 'invalid instance_id' });
  return (
    world.instances.get(id) ??
    json(404, { success: false, error: 'no_such_instance', msg: `Instance ${id} not found.` })
  );
}
const isResponse = (x: SimInstance | SimResponse): x is SimResponse => 'status' in x;

/** The ssh-keys feature module. */
export const sshKeys = defineFeature<SshKeyState>({
  name: 'ssh-keys',
  createState: () => ({ keys: [], nextId: 7_001 }),
  routes: {
    vast: [
      {
        method: 'POST',
        path: '/api/v0/ssh/',
        handle: (req, { world, state }) => {
          const key = validKey(jsonBody(req).ssh_key);
          if (!key) return NO_SSH_KEY;
          const record = { id: state.nextId++, key, createdAt: world.clock.platformNow() };
          state.keys.push(record);
          return json(200, { success: true, key: accountKeyRow(world.accountId, record) });
        },
      },
      {
        method: 'GET',
        path: '/api/v0/ssh/',
        handle: (_req, { world, state }) =>
          json(
            200,
            state.keys.map((k) => accountKeyRow(world.accountId, k))
          ),
      },
      {
        // vast-api.md §3.6: replaces an account key's text; instances keep the keys they were rented with.
        method: 'PUT',
        path: '/api/v0/ssh/:keyId/',
        handle: (req, { world, state }) => {
          const record = state.keys.find((k) => k.id === Number(req.params.keyId));
          if (!record) return NO_SUCH_KEY;
          const key = validKey(jsonBody(req).ssh_key);
          if (!key) return NO_SSH_KEY;
          record.key = key;
          return json(200, { success: true, key: accountKeyRow(world.accountId, record) });
        },
      },
      {
        method: 'DELETE',
        path: '/api/v0/ssh/:keyId/',
        handle: (req, { state }) => {
          const index = state.keys.findIndex((k) => k.id === Number(req.params.keyId));
          if (index < 0) return NO_SUCH_KEY;
          state.keys.splice(index, 1);
          return json(200, { success: true });
        },
      },
      {
        method: 'POST',
        path: '/api/v0/instances/:id/ssh/',
        handle: (req, { world, state }) => {
          const inst = instanceOf(world, req.params.id);
          if (isResponse(inst)) return inst;
          const key = validKey(jsonBody(req).ssh_key);
          if (!key) return NO_SSH_KEY;
          // The same key material (whatever its comment) is stored once.
          const material = (k: string) => k.split(/\s+/).slice(0, 2).join(' ');
          if (!inst.instanceKeys.some((k) => material(k.key) === material(key)))
            inst.instanceKeys.push({ id: state.nextId++, key });
          return json(200, { success: true, msg: 'SSH key added to instance.' });
        },
      },
      {
        method: 'GET',
        path: '/api/v0/instances/:id/ssh/',
        handle: (req, { world }) => {
          const inst = instanceOf(world, req.params.id);
          if (isResponse(inst)) return inst;
          // VAST answers the list as a JSON string inside the JSON body.
          const list = inst.instanceKeys.map((k) => ({ id: k.id, public_key: k.key }));
          return json(200, { success: true, ssh_keys: JSON.stringify(list) });
        },
      },
      {
        method: 'DELETE',
        path: '/api/v0/instances/:id/ssh/:keyId/',
        handle: (req, { world }) => {
          const inst = instanceOf(world, req.params.id);
          if (isResponse(inst)) return inst;
          const index = inst.instanceKeys.findIndex((k) => k.id === Number(req.params.keyId));
          if (index < 0) return NO_SUCH_KEY;
          inst.instanceKeys.splice(index, 1);
          return json(200, { success: true });
        },
      },
    ],
  },
  on: {
    // An instance trusts the account keys that existed when it was rented, as on VAST.
    create: ({ instance }, { state }) => {
      instance.accountKeys = state.keys.map((k) => k.key);
    },
  },
  view: ({ world, state }) => ({ keys: state.keys.map((k) => accountKeyRow(world.accountId, k)) }),
});
