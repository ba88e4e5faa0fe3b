import { api } from '../../api/client';
import type { TaskJson } from '../../api/types';
import { useAction } from '../notices/NoticesProvider';

/** Puts one failed or cancelled task back in the queue; a refusal shows as a notice. */
export function RetryButton({ task, label = 'Retry' }: { task: TaskJson; label?: string }) {
  const run = useAction();
  return (
    <button
      type="button"
      className="button button--small"
      aria-label={`Retry ${task.display_name}`}
      onClick={() => void run(() => api.retryTask(task.id), `Could not retry ${task.display_name}`)}
    >
      {label}
    </button>
  );
}
