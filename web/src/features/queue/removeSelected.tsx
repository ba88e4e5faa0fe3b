import { useCallback, useMemo, useState } from 'react';
import { api } from '../../api/client';
import type { TaskJson } from '../../api/types';
import { useAction } from '../notices/NoticesProvider';

export interface Selection {
  /** The selected ids still in the list (a row that left it is no longer selected). */
  ids: number[];
  has(id: number): boolean;
  toggle(id: number): void;
  clear(): void;
}

/** Which of a list's finished rows are ticked, for "Remove selected". */
export function useSelection(items: readonly TaskJson[]): Selection {
  const [picked, setPicked] = useState<ReadonlySet<number>>(new Set());
  const ids = useMemo(
    () => items.filter((task) => picked.has(task.id)).map((task) => task.id),
    [items, picked],
  );
  const toggle = useCallback(
    (id: number) =>
      setPicked((before) => {
        const next = new Set(before);
        if (!next.delete(id)) next.add(id);
        return next;
      }),
    [],
  );
  const clear = useCallback(() => setPicked(new Set()), []);
  return { ids, has: (id) => ids.includes(id), toggle, clear };
}

/** The tick box on a finished row. */
export function SelectBox({ task, selection }: { task: TaskJson; selection: Selection }) {
  return (
    <input
      type="checkbox"
      className="task-row__select"
      aria-label={`Select ${task.display_name}`}
      checked={selection.has(task.id)}
      onChange={() => selection.toggle(task.id)}
    />
  );
}

/** Removes the ticked tasks from the lists (their transcripts stay); a refusal shows as a notice. */
export function RemoveSelectedButton({ selection }: { selection: Selection }) {
  const run = useAction();
  const count = selection.ids.length;
  return (
    <button
      type="button"
      className="button button--small"
      disabled={count === 0}
      onClick={() =>
        void run(async () => {
          await api.removeTasks(selection.ids);
          selection.clear();
        }, 'Could not remove the selected tasks')
      }
    >
      Remove selected{count > 0 ? ` (${count})` : ''}
    </button>
  );
}
