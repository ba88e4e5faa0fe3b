import { api } from '../../api/client';
import type { TaskJson } from '../../api/types';
import { useAction } from '../notices/NoticesProvider';

/** Removes one finished task from the lists (its transcript, if any, stays); a refusal shows as a notice. */
export function RemoveButton({ task }: { task: TaskJson }) {
  const run = useAction();
  return (
    <button
      type="button"
      className="button button--small"
      aria-label={`Remove ${task.display_name}`}
      onClick={() => void run(() => api.deleteTask(task.id), `Could not remove ${task.display_name}`)}
    >
      Remove
    </button>
  );
}
