// Fastify's own Ajv (through @fastify/ajv-compiler): only its types are used here.
import type { ErrorObject, Plugin } from 'ajv';

/**
 * The `finite` keyword. With coerceTypes, Ajv turns the query strings
 * "Infinity" and "1e309" into Infinity, counts that as an integer, and then
 * skips minimum and maximum (which it checks only for finite numbers):
 * `?limit=Infinity` reached SQLite as a LIMIT it refused (a 500). Every
 * integer in a schema carries `finite: true`; see `integer` below.
 */
export const finiteNumbers: Plugin<unknown> = (ajv) =>
  ajv.addKeyword({
    keyword: 'finite',
    // Not `type: 'number'`: Ajv guards its number keywords with the same isFinite check.
    schemaType: 'boolean',
    errors: true,
    validate: validateFinite,
  });

function validateFinite(finite: boolean, data: unknown): boolean {
  const valid = !finite || typeof data !== 'number' || Number.isFinite(data);
  validateFinite.errors = valid
    ? undefined
    : [{ keyword: 'finite', message: 'must be a finite number', params: {} }];
  return valid;
}
validateFinite.errors = undefined as Partial<ErrorObject>[] | undefined;

/** An integer parameter from `minimum` to `maximum`, which Infinity cannot slip past. */
export function integer(minimum: number, maximum: number, defaultValue?: number) {
  return {
    type: 'integer',
    minimum,
    maximum,
    finite: true,
    ...(defaultValue === undefined ? {} : { default: defaultValue }),
  } as const;
}
