/**
 * zod schemas of the Dumont responses we read (docs/platform-contract.md). Loose objects: the API adds
 * fields (`cpu_standby`, metrics, ...) we do not need; the fields we read must be present and typed.
 */
import { z } from 'zod';

/** Optional fields: some hosts send `null` where others omit the key; both read as "absent". */
const optional = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);

const nullable = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? null);

/** A number, also when sent as a numeric string (Pydantic's lax mode serialises some as either). */
const laxNumber = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/)
    .transform(Number),
]);

/** `POST /api/v1/auth/login` → `{success, user, token}`; the field is `token`, not `access_token`. */
export const dumontLoginResponseSchema = z.looseObject({ token: z.string().min(1) });

/** One `GpuOfferResponse` of `GET /api/v1/instances/offers`. */
export const dumontOfferSchema = z.looseObject({
  id: z.number(),
  // Dumont turns VAST's numeric machine id into a string; accept either and keep the documented string.
  machine_id: z.union([z.string(), z.number()]).transform(String),
  gpu_name: z.string(),
  num_gpus: laxNumber,
  dph_total: laxNumber,
  geolocation: z
    .string()
    .nullish()
    .transform((v) => v ?? ''),
  reliability: laxNumber.nullish().transform((v) => v ?? 0),
  verified: optional(z.boolean()),
  disk_space: optional(z.number()),
  cpu_cores: optional(z.number()),
  cpu_ram: optional(z.number()),
});

/** `GET /api/v1/instances/offers` → `{offers, count}`. */
export const dumontOffersResponseSchema = z.looseObject({ offers: z.array(dumontOfferSchema) });

/**
 * Dumont `InstanceResponse` (create, get, list rows). Strict on what the harness checks (id, states, GPU, price,
 * label, SSH address, disk); everything else is ignored. `start_date` is an ISO string that the real server fills
 * in with the time of the READ, not of the start, so it says nothing about age: only a numeric one is kept (the
 * reaper takes ages from VAST). `gpu_ram` comes in MB and is not read.
 */
export const dumontInstanceSchema = z.looseObject({
  id: laxNumber,
  status: nullable(z.string()),
  actual_status: nullable(z.string()),
  gpu_name: nullable(z.string()),
  num_gpus: nullable(laxNumber),
  dph_total: nullable(laxNumber),
  label: z.string().nullish(),
  ssh_host: z.string().nullish(),
  ssh_port: laxNumber.nullish(),
  public_ipaddr: z.string().nullish(),
  disk_space: laxNumber.nullish(),
  geolocation: z.string().nullish(),
  image: z.string().nullish(),
  start_date: z
    .unknown()
    .optional()
    .transform((v) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)),
});

/**
 * What cleanup reads of an instance row: id, label and state, nothing else, so that no quirk elsewhere in a row
 * can make cleanup fail closed.
 */
export const labelRowSchema = z.looseObject({
  id: laxNumber,
  label: z
    .unknown()
    .optional()
    .transform((v) => (typeof v === 'string' ? v : null)),
  actual_status: z
    .unknown()
    .optional()
    .transform((v) => (typeof v === 'string' ? v : null)),
  status: z
    .unknown()
    .optional()
    .transform((v) => (typeof v === 'string' ? v : null)),
  // VAST's epoch seconds; Dumont's ISO string is the time of the read and is dropped.
  start_date: z
    .unknown()
    .optional()
    .transform((v) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)),
});

/** `GET /api/v1/instances` as cleanup reads it: the rows unparsed, each read alone with {@link labelRowSchema}. */
export const dumontLabelListSchema = z.looseObject({ instances: z.array(z.unknown()) });

/** An empty list with `count > 0` is a broken answer, and trusting it would make cleanup stop early. */
export const dumontInstancesResponseSchema = z
  .looseObject({
    instances: z.array(dumontInstanceSchema),
    count: optional(z.number()),
  })
  .refine((body) => body.instances.length > 0 || !body.count, {
    message: 'empty list but count > 0',
    path: ['instances'],
  });

/** `{success, message}` of pause/resume/destroy; `success:false` is turned into an error by the HTTP layer. */
export const dumontAckSchema = z.unknown();
