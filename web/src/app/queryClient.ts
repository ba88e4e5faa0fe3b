import { QueryClient } from '@tanstack/react-query';

/**
 * The page's server state. The event stream says when something changed
 * (features/live), so nothing is fetched again on focus or on a network
 * change, and a failed fetch shows its error at once rather than after
 * retries: the next event fetches again.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: false,
        refetchOnWindowFocus: false,
        refetchOnReconnect: false,
      },
    },
  });
}
