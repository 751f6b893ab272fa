/**
 * What every client of Dumont's feature routes shares: lenient zod readers for the numbers, strings and booleans
 * the platform sends (numbers sometimes as strings, absent fields as null), a call through the Dumont client whose
 * missing route rejects with {@link PlatformLacksError} naming the route, and the reading of a handler's 404 as
 * "not there".
 */
import { z } from 'zod';
import { isNoRoute, NotFoundError, PlatformLacksError } from '../errors';
import type { HttpRequest } from '../http';
import type { DumontClient } from '../types';

/** A number, or a string holding one. */
export const num = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/)
    .transform(Number),
]);
/** A number, or null when absent. */
export const optNum = num.nullish().transform((v) => v ?? null);
/** A string, or null when absent. */
export const optStr = z
  .string()
  .nullish()
  .transform((v) => v ?? null);
/** A boolean, or null when absent. */
export const optBool = z
  .boolean()
  .nullish()
  .transform((v) => v ?? null);

/**
 * The Dumont client's `call`, where a missing route means "platform lacks …", not a retry or a generic 404. The
 * route is named by `template(path)` (ids replaced by `{id}`, so the message and the contract name the same route).
 */
export function lacksAwareCall(dumont: DumontClient, template: (path: string) => string = (path) => path) {
  return async function call<S extends z.ZodType>(req: HttpRequest<S>): Promise<z.output<S>> {
    try {
      return await dumont.call(req);
    } catch (err) {
      if (isNoRoute(err)) {
        const route = `${req.method.toUpperCase()} ${template(req.path)}`;
        throw new PlatformLacksError(`platform lacks ${route}`, { endpoint: route, status: 404 });
      }
      throw err;
    }
  };
}

/** Numeric path segments as `{id}`. */
export const numericIds = (path: string): string => path.replace(/\/\d+(?=\/|$)/g, '/{id}');

/** `undefined` on a handler's 404 (no such row); every other failure rejects. */
export async function orMissing<T>(work: Promise<T>): Promise<T | undefined> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof NotFoundError) return undefined;
    throw err;
  }
}
