/**
 * zod schemas of the VAST responses we read (docs/platform-contract.md). Objects are loose: VAST adds
 * fields freely and we must not break on them; but every field we read must be present with the right
 * type, so a truncated or proxied body fails here instead of deep inside a scenario.
 */
import { z } from 'zod';

/** Optional fields: some hosts send `null` where others omit the key; both read as "absent". */
const optional = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);

/** `null` and absent mean the same on the wire ("not known yet"); normalise to `null`. */
const nullable = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? null);

/** Paging tokens are opaque; accept a number too and hand them back as text. */
const pageToken = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined || v === '' ? null : String(v)));

/** One offer of `POST /api/v0/bundles/` (fields in `VastOffer`). */
export const vastOfferSchema = z.looseObject({
  id: z.number(),
  machine_id: z.number(),
  host_id: optional(z.number()),
  gpu_name: z.string(),
  num_gpus: z.number(),
  dph_total: z.number(),
  // Free text ("Florida, US"); some hosts report none. Treated as text, never as a region code.
  geolocation: z
    .string()
    .nullish()
    .transform((v) => v ?? ''),
  reliability2: optional(z.number()),
  reliability: optional(z.number()),
  rentable: optional(z.boolean()),
  rented: optional(z.boolean()),
});

/** `POST /api/v0/bundles/` → `{offers: [...]}`. */
export const vastOffersResponseSchema = z.looseObject({ offers: z.array(vastOfferSchema) });

/** One instance row, shared by the v1 list and the v0 show (fields in `VastInstance`). */
export const vastInstanceSchema = z.looseObject({
  id: z.number(),
  label: nullable(z.string()),
  actual_status: nullable(z.string()),
  intended_status: nullable(z.string()),
  cur_state: z.string().nullish(),
  gpu_name: z.string().nullish(),
  num_gpus: z.number().nullish(),
  dph_total: z.number().nullish(),
  ssh_host: z.string().nullish(),
  ssh_port: z.number().nullish(),
  geolocation: z.string().nullish(),
  image_uuid: z.string().nullish(),
  disk_space: z.number().nullish(),
  machine_id: z.number().nullish(),
  start_date: z.number().nullish(),
  status_msg: z.string().nullish(),
});

/** `GET /api/v1/instances/` page. */
export const vastInstancePageSchema = z.looseObject({
  instances: z.array(vastInstanceSchema),
  instances_found: optional(z.number()),
  next_token: pageToken,
});

/** A page of `GET /api/v1/instances/` as cleanup reads it: rows left raw, each read alone for id/label/state. */
export const vastRawInstancePageSchema = z.looseObject({
  instances: z.array(z.unknown()),
  next_token: pageToken,
});

/**
 * The first page of the list: an empty page that claims matches is what a proxy or a half-broken backend
 * returns, and believing it would let cleanup declare victory over instances that still bill. (A later page
 * may legitimately be empty.)
 */
export const vastFirstInstancePageSchema = vastInstancePageSchema.refine(
  (page) => page.instances.length > 0 || !page.instances_found,
  { message: 'empty list but instances_found > 0', path: ['instances'] }
);

/**
 * `GET /api/v0/instances/{id}/`: `{instances: {...}}`; the SDK treats `null` as not found and Dumont also
 * tolerates a list, so both are accepted. An empty object is read as "not found" too.
 */
export const vastShowInstanceSchema = z.looseObject({
  instances: z.union([z.null(), z.array(vastInstanceSchema), z.strictObject({}), vastInstanceSchema]),
});

/** One volume of `GET /api/v0/volumes`. */
export const vastVolumeSchema = z.looseObject({
  id: z.number(),
  label: z.string().nullish(),
  name: z.string().nullish(),
  status: z.string(),
  disk_space: z.number(),
  instances: optional(z.array(z.number())),
});

/** `GET /api/v0/volumes?owner=me&type=all_volume` → `{volumes: [...]}`. */
export const vastVolumesResponseSchema = z.looseObject({ volumes: z.array(vastVolumeSchema) });

/** `POST /api/v0/ssh/`: `{success, key: {id, ...}}`; older deployments answer the key row at the top level. */
export const vastAddSshKeyResponseSchema = z
  .union([z.looseObject({ key: z.looseObject({ id: z.number() }) }), z.looseObject({ id: z.number() })])
  .transform((body): number => {
    const key = (body as { key?: { id?: unknown } }).key;
    return typeof key?.id === 'number' ? key.id : (body as { id: number }).id;
  });

/** One row of `GET /api/v0/charges/`. */
export const vastChargeSchema = z.looseObject({
  type: z.string(),
  source: z.string(),
  amount: z.number(),
  metadata: z.looseObject({
    label: z.string().nullish(),
    gpu_seconds: optional(z.number()),
    storage_gb_seconds: optional(z.number()),
  }),
});

/** `GET /api/v0/charges/` page: `{results, next_token}`. */
export const vastChargesPageSchema = z.looseObject({
  results: z.array(vastChargeSchema),
  next_token: pageToken,
});

/** Bodies of mutating calls: `{success: true, ...}` (a `success:false` is turned into an error earlier). */
export const vastAckSchema = z.unknown();

/** One account key of `GET /api/v0/ssh/`; deleted keys may be listed with `deleted_at` set. */
export const vastSshKeySchema = z.looseObject({
  id: z.number(),
  public_key: z.string(),
  deleted_at: z.unknown().optional(),
});

/** `GET /api/v0/ssh/`: a bare list, or the same list under `ssh_keys` or `keys` (both seen in the wild). */
export const vastSshKeysResponseSchema = z
  .union([
    z.array(vastSshKeySchema),
    z.looseObject({ ssh_keys: z.array(vastSshKeySchema) }),
    z.looseObject({ keys: z.array(vastSshKeySchema) }),
  ])
  .transform((body) => {
    type Row = z.infer<typeof vastSshKeySchema>;
    const rows: Row[] = Array.isArray(body) ? body : ((body.ssh_keys ?? body.keys) as Row[]);
    return rows
      .filter((k) => k.deleted_at === undefined || k.deleted_at === null)
      .map((k) => ({ id: k.id, publicKey: k.public_key }));
  });
