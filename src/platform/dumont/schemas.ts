/**
 * zod schemas of the Dumont responses we read (docs/platform-contract.md). Loose objects: the API adds
 * fields (`cpu_standby`, metrics, ...) we do not need; the fields we read must be present and typed.
 */
import { z } from 'zod';

/** Optional fields: some hosts send `null` where others omit the key; both read as "absent". */
const optional = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);

const nullable = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? null);

/** `POST /api/v1/auth/login` → `{success, user, token}`; the field is `token`, not `access_token`. */
export const dumontLoginResponseSchema = z.looseObject({ token: z.string().min(1) });

/** One `GpuOfferResponse` of `GET /api/v1/instances/offers`. */
export const dumontOfferSchema = z.looseObject({
  id: z.number(),
  // Dumont turns VAST's numeric machine id into a string; accept either and keep the documented string.
  machine_id: z.union([z.string(), z.number()]).transform(String),
  gpu_name: z.string(),
  num_gpus: z.number(),
  gpu_ram: z.number(),
  dph_total: z.number(),
  geolocation: z
    .string()
    .nullish()
    .transform((v) => v ?? ''),
  reliability: z.number(),
  verified: optional(z.boolean()),
  disk_space: optional(z.number()),
  cpu_cores: optional(z.number()),
  cpu_ram: optional(z.number()),
});

/** `GET /api/v1/instances/offers` → `{offers, count}`. */
export const dumontOffersResponseSchema = z.looseObject({ offers: z.array(dumontOfferSchema) });

/** Dumont `InstanceResponse` (create, get, list rows). */
export const dumontInstanceSchema = z.looseObject({
  id: z.number(),
  status: nullable(z.string()),
  actual_status: nullable(z.string()),
  gpu_name: nullable(z.string()),
  num_gpus: nullable(z.number()),
  dph_total: nullable(z.number()),
  label: z.string().nullish(),
  ssh_host: z.string().nullish(),
  ssh_port: z.number().nullish(),
  public_ipaddr: z.string().nullish(),
  disk_space: z.number().nullish(),
  geolocation: z.string().nullish(),
  image: z.string().nullish(),
  start_date: z.number().nullish(),
});

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
