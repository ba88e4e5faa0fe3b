import { useQuery } from '@tanstack/react-query';
import type { AttemptJson, StatsJson } from '../../../../src/core/json';
import { request } from '../../api/client';

export type { AttemptJson, StatsJson };

export const STATS_DAYS = [7, 30, 90] as const;
export type StatsDays = (typeof STATS_DAYS)[number];

export const statsKeys = {
  stats: (days: number) => ['stats', days] as const,
  /** Under `tasks`, so the event stream's invalidation of the queue refreshes a task's history too. */
  attempts: (taskId: number) => ['tasks', { attempts: taskId }] as const,
};

/** GET /api/stats for the last `days` days; refreshed each minute while the view is open. */
export function useStats(days: number) {
  return useQuery({
    queryKey: statsKeys.stats(days),
    queryFn: () => request<StatsJson>(`/api/stats?days=${days}`),
    refetchInterval: 60_000,
  });
}

/** GET /api/tasks/:id/attempts, fetched when a row's History is opened. */
export function useAttempts(taskId: number) {
  return useQuery({
    queryKey: statsKeys.attempts(taskId),
    queryFn: () =>
      request<{ attempts: AttemptJson[] }>(`/api/tasks/${taskId}/attempts`).then((body) => body.attempts),
  });
}
