import { readSecret } from '../services/auth/secret.js';

/**
 * The headers with which this CLI speaks to the running app's API: the
 * install's secret, read from the data folder (which only its owner can
 * read), as a bearer token. Empty when there is no secret yet (nothing ever served).
 */
export function appAuthHeaders(dataDir: string): Record<string, string> {
  const secret = readSecret(dataDir);
  return secret ? { authorization: `Bearer ${secret}` } : {};
}
