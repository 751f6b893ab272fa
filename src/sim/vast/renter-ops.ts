/**
 * VAST's other renter verbs on one instance (vast-api.md §3.4, §3.7, §3.10): reboot, recycle, change bid, prepay
 * and the instance's deposit, and the asynchronous logs and execute with their `result_url`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { json, jsonBody, type SimRequest, type SimResponse } from '../core/http/sim-http';
import { instanceEnv } from '../instances/instance-exec';
import { instancePaths, wipeWorkspace } from '../instances/instance-files';
import { startInstance, stopInstance } from '../instances/instance-control';
import type { SimInstance } from '../instances/instance-record';
import type { SimWorld } from '../world';
import { pendingResult } from './result-store';

/** The absolute URL of `resultPath` on the face `req` reached. */
const absolute = (req: SimRequest, resultPath: string): string =>
  `http://${req.headers.host ?? '127.0.0.1'}${resultPath}`;

/** Whether a bid instance's price is below its machine's current minimum (it is outbid: it stays stopped). */
export function isOutbid(inst: SimInstance): boolean {
  return inst.isBid && inst.dphTotal < inst.offer.min_bid;
}

/**
 * `PUT /instances/reboot/{id}/`: stop and start, keeping the GPU (the container and its disk stay). A stopped
 * instance is left stopped, as `reboot` only restarts a running one.
 */
export function rebootInstance(world: SimWorld, inst: SimInstance): SimResponse {
  if (inst.intended === 'running') {
    stopInstance(world, inst);
    startInstance(world, inst);
  }
  return json(200, { success: true });
}

/** `PUT /instances/recycle/{id}/`: a fresh container from the image: the disk is emptied, then it starts. */
export function recycleInstance(world: SimWorld, inst: SimInstance): SimResponse {
  stopInstance(world, inst);
  wipeWorkspace(instancePaths(world.dataDir, inst.id));
  if (!isOutbid(inst)) startInstance(world, inst);
  return json(200, { success: true });
}

/**
 * `PUT /instances/bid_price/{id}/ {client_id, price}`: the new bid of an interruptible instance. A bid below the
 * machine's minimum stops a running one (outbid); raising a stopped-because-outbid one above it resumes it.
 */
export function changeBid(world: SimWorld, req: SimRequest, inst: SimInstance): SimResponse {
  const price = Number(jsonBody(req).price);
  if (!Number.isFinite(price) || price < 0.001 || price > 128) {
    return json(400, { success: false, error: 'invalid_price', msg: 'Please set a bid price >= 0.001.' });
  }
  if (!inst.isBid) {
    return json(400, {
      success: false,
      error: 'invalid_args',
      msg: `Instance ${inst.id} is not an interruptible instance.`,
    });
  }
  const wasOutbid = isOutbid(inst);
  inst.dphTotal = price;
  if (isOutbid(inst) && inst.intended === 'running') {
    stopInstance(world, inst);
    inst.statusMsg = 'Outbid: bid price below the current minimum; instance stopped.';
  } else if (wasOutbid && !isOutbid(inst) && inst.intended === 'stopped') startInstance(world, inst);
  return json(200, { success: true });
}

/** Stateful: the prepaid deposits of one world's instances, USD by instance id (refunded at destroy). */
const deposits = new WeakMap<SimWorld, Map<number, number>>();

function depositsOf(world: SimWorld): Map<number, number> {
  let map = deposits.get(world);
  if (!map) deposits.set(world, (map = new Map()));
  return map;
}

/** What the account's live instances hold in prepaid deposits, USD (taken off the account's credit). */
export function heldDeposits(world: SimWorld): number {
  let total = 0;
  for (const [id, amount] of depositsOf(world)) if (world.instances.has(id)) total += amount;
  return total;
}

/** `PUT /instances/prepay/{id}/ {amount}`: moves `amount` of credit into the instance's refundable deposit. */
export function prepayInstance(world: SimWorld, req: SimRequest, inst: SimInstance): SimResponse {
  const amount = Number(jsonBody(req).amount);
  if (!Number.isFinite(amount) || amount <= 0)
    return json(400, { success: false, error: 'invalid_args', msg: 'amount must be a positive number of USD' });
  const map = depositsOf(world);
  map.set(inst.id, (map.get(inst.id) ?? 0) + amount);
  return json(200, { success: true, refundable_deposit: map.get(inst.id) });
}

/** `GET /instances/balance/{id}/`: the instance's prepaid deposit (no term discount is offered here). */
export function instanceBalance(world: SimWorld, inst: SimInstance): SimResponse {
  const deposit = depositsOf(world).get(inst.id) ?? 0;
  return json(200, { success: true, refundable_deposit: deposit, total_discount: 0, discount_months: 0 });
}

/** `PUT /instances/request_logs/{id}/ {tail}`: the container's output (its `onstart` log), at a result_url. */
export function requestLogs(world: SimWorld, req: SimRequest, inst: SimInstance): SimResponse {
  const tail = Number(jsonBody(req).tail ?? 1000);
  const result = pendingResult(world);
  const logFile = path.join(instancePaths(world.dataDir, inst.id).var, 'onstart.log');
  // Written on the next turn, as VAST's upload lands after its answer: clients poll the URL until 200.
  setImmediate(() => {
    const text = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    const kept = Number.isInteger(tail) && tail > 0 ? lines.slice(-tail) : lines;
    result.write(kept.length ? `${kept.join('\n')}\n` : '');
  });
  return json(200, {
    success: true,
    result_url: absolute(req, result.path),
    msg: 'Logs will be uploaded to result_url',
  });
}

/** The commands VAST's execute accepts (vast-api.md §3.7): `ls`, `rm` and `du` only. */
const EXECUTABLE = /^(ls|rm|du)(\s|$)/;

/** `PUT /instances/command/{id}/ {command}`: runs it in the container, its output at a result_url. */
export function executeCommand(world: SimWorld, req: SimRequest, inst: SimInstance): SimResponse {
  const command = jsonBody(req).command;
  if (typeof command !== 'string' || command.length > 512 || !EXECUTABLE.test(command.trim())) {
    return json(400, {
      success: false,
      error: 'invalid_args',
      msg: 'command must be ls, rm or du, at most 512 characters',
    });
  }
  const groups = world.groups.get(inst.id);
  if (inst.actual !== 'running' || !groups) {
    return json(400, { success: false, error: 'invalid_container', msg: `Instance ${inst.id} is not running.` });
  }
  const result = pendingResult(world);
  const paths = instancePaths(world.dataDir, inst.id);
  const child = groups.spawn(command, { cwd: paths.workspace, env: instanceEnv(world, inst, {}) });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stdin.end();
  child.on('close', () => result.write(output));
  return json(200, {
    success: true,
    writeable_path: `/_results/${path.basename(result.path)}`,
    result_url: absolute(req, result.path),
    msg: 'Command is executing...',
  });
}
