/**
 * pg's own messages for a connection that broke without the server saying why (the server was
 * killed, the network dropped): these errors carry no SQLSTATE, so core's storageTroubleOf,
 * which reads codes only, would take them for bugs. Matched on pg 8's wording.
 */
const CONNECTION_LOST_MESSAGES = [
  /^Connection terminated/, // unexpectedly, or due to connection timeout
  /is not queryable$/, // a client whose connection already broke, used again
];

/** SQLSTATE 08006, connection_failure: what the server would have said had it been able to. */
export const CONNECTION_FAILURE = '08006';

/** The error, or for a connection pg saw break an error with the SQLSTATE it lacks (the original as cause). */
export function withSqlState(error: unknown): unknown {
  if (!(error instanceof Error) || (error as { code?: unknown }).code !== undefined) return error;
  if (!CONNECTION_LOST_MESSAGES.some((pattern) => pattern.test(error.message))) return error;
  return Object.assign(new Error(error.message, { cause: error }), { code: CONNECTION_FAILURE });
}

type AsyncFunction = (...args: never[]) => Promise<unknown>;

/** The repository with every method's errors passed through withSqlState. */
export function withSqlStates<T extends object>(repository: T): T {
  const wrapped: Record<string, AsyncFunction> = {};
  for (const [name, method] of Object.entries(repository) as [string, AsyncFunction][]) {
    wrapped[name] = (...args) =>
      method(...args).catch((error: unknown) => {
        throw withSqlState(error);
      });
  }
  return wrapped as T;
}
