import type { z } from 'zod';
import type { HttpRequest } from './http';

/**
 * What activities need from the platform, independent of transport. The Dumont client talks to
 * `/api/v1` of a Dumont deployment (or the simulator's Dumont face); the VAST client to VAST's
 * `/api/v0` + `/api/v1` (or the simulator's VAST face). Field names follow the wire.
 */

/** An offer as Dumont's `GET /api/v1/instances/offers` returns it. */
export interface DumontOffer {
  id: number;
  machine_id: string;
  gpu_name: string;
  num_gpus: number;
  dph_total: number;
  geolocation: string;
  reliability: number;
  verified?: boolean;
  disk_space?: number;
  cpu_cores?: number;
  cpu_ram?: number;
}

export interface DumontOfferQuery {
  gpu_name?: string;
  num_gpus?: number;
  max_price?: number;
  region?: string;
  min_reliability?: number;
  machine_type?: 'on-demand' | 'interruptible';
  limit?: number;
}

/** Dumont's `InstanceResponse`. `status` is the intended state, `actual_status` the observed one. */
export interface DumontInstance {
  id: number;
  status: string | null;
  actual_status: string | null;
  gpu_name: string | null;
  num_gpus: number | null;
  dph_total: number | null;
  label?: string | null;
  ssh_host?: string | null;
  ssh_port?: number | null;
  public_ipaddr?: string | null;
  disk_space?: number | null;
  geolocation?: string | null;
  image?: string | null;
  start_date?: number | null;
}

export interface DumontCreateRequest {
  offer_id: number;
  image?: string;
  disk_size?: number;
  label: string;
  skip_standby?: boolean;
  /** A command the instance runs at every start (a model server the platform must keep serving, e.g. #95). */
  onstart_cmd?: string;
}

/** What cleanup reads of one instance row (id, label, state), and how many rows it could not read at all. */
export interface LabelRows {
  rows: {
    id: number;
    label: string | null;
    state: string | null;
    /** Epoch seconds, when known. */ startedAt?: number;
  }[];
  /** Rows without a readable id: they may be ours, so the caller must ask another witness. */
  unreadable: number;
}

export interface DumontClient {
  searchOffers(query: DumontOfferQuery): Promise<DumontOffer[]>;
  createInstance(req: DumontCreateRequest): Promise<DumontInstance>;
  /** `undefined` on 404 (which alone does not prove destruction: confirm with a list). */
  getInstance(id: number): Promise<DumontInstance | undefined>;
  listInstances(): Promise<DumontInstance[]>;
  /** The instance list read for cleanup: id, label and state of each row only. */
  listLabelled(): Promise<LabelRows>;
  pauseInstance(id: number): Promise<void>;
  resumeInstance(id: number): Promise<void>;
  /** Resolves on success; an already-gone instance resolves too (`'already-gone'`). */
  destroyInstance(id: number): Promise<'destroyed' | 'already-gone'>;
  /**
   * Any other authenticated call (re-login on 401, errors mapped like every call): what the per-feature clients
   * (`src/platform/dumont/<feature>.ts`) are built on.
   */
  call<S extends z.ZodType>(req: HttpRequest<S>): Promise<z.output<S>>;
  /** Where and how to open an authenticated WebSocket on `path` (the live price stream); absent on fakes. */
  socket?(path: string): Promise<{ url: string; headers: Record<string, string> }>;
  /**
   * The platform's clock as its latest answer's HTTP `Date` header gave it (epoch seconds); undefined before any
   * answer, or on clients (fakes) that cannot tell. Ages of the platform's timestamps are taken on this clock.
   */
  serverNow?(): number | undefined;
}

/** An offer as VAST's `POST /api/v0/bundles/` returns it (subset). */
export interface VastOffer {
  id: number;
  machine_id: number;
  host_id?: number;
  gpu_name: string;
  num_gpus: number;
  dph_total: number;
  geolocation: string;
  reliability2?: number;
  reliability?: number;
  rentable?: boolean;
  rented?: boolean;
}

/** VAST filter object: `{ field: { op: value } }` plus control keys. */
export type VastFilter = Record<string, unknown>;

/** An instance row of VAST's `GET /api/v1/instances/` (subset). */
export interface VastInstance {
  id: number;
  label: string | null;
  actual_status: string | null;
  intended_status: string | null;
  cur_state?: string | null;
  gpu_name?: string | null;
  num_gpus?: number | null;
  dph_total?: number | null;
  ssh_host?: string | null;
  ssh_port?: number | null;
  geolocation?: string | null;
  image_uuid?: string | null;
  disk_space?: number | null;
  machine_id?: number | null;
  start_date?: number | null;
  /** VAST's last status line, e.g. `success, running ...` or an `Error: ...` of a failed start. */
  status_msg?: string | null;
}

export interface VastVolume {
  id: number;
  label?: string | null;
  name?: string | null;
  status: string;
  disk_space: number;
  instances?: number[];
}

export interface VastCharge {
  type: string;
  source: string;
  amount: number;
  metadata: { label?: string | null; gpu_seconds?: number; storage_gb_seconds?: number } & Record<string, unknown>;
}

export interface VastClient {
  searchOffers(filter: VastFilter): Promise<VastOffer[]>;
  /** Every instance of the account (all pages), optionally with an exact-label server-side filter. */
  listInstances(opts?: { label?: string }): Promise<VastInstance[]>;
  /** The instance list read for cleanup (all pages): id, label and state of each row only. */
  listLabelled(): Promise<LabelRows>;
  showInstance(id: number): Promise<VastInstance | undefined>;
  destroyInstance(id: number): Promise<'destroyed' | 'already-gone'>;
  setState(id: number, state: 'running' | 'stopped'): Promise<void>;
  listVolumes(): Promise<VastVolume[]>;
  deleteVolume(id: number): Promise<'destroyed' | 'already-gone'>;
  /** Registers an account SSH public key; returns its id. */
  addSshKey(publicKey: string): Promise<number>;
  /** The account's SSH keys (not deleted), each with its OpenSSH public line (whose comment is our label). */
  listSshKeys(): Promise<{ id: number; publicKey: string }[]>;
  deleteSshKey(id: number): Promise<void>;
  /** Adds a key to one instance (keys are applied to instances at create time otherwise). */
  attachSshKey(instanceId: number, publicKey: string): Promise<void>;
  listCharges(): Promise<VastCharge[]>;
  /**
   * The platform's clock as its latest answer's HTTP `Date` header gave it (epoch seconds); undefined before any
   * answer, or on clients (fakes) that cannot tell. Ages of the platform's timestamps are taken on this clock.
   */
  serverNow?(): number | undefined;
}

/** Where and how to reach an instance over SSH. The private key never leaves the worker. */
export interface SshTarget {
  host: string;
  port: number;
  username: string;
  privateKey: string;
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}
