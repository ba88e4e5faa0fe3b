/** The Background Tasks tab's filter (imports nothing, so the node tests can load it). */
export interface TaskFilterValue {
  /** Part of the task's name, any case; '' for every name. */
  name: string;
  status: 'all' | 'pending' | 'processing' | 'failed' | 'completed' | 'cancelled';
}

export const NO_FILTER: TaskFilterValue = { name: '', status: 'all' };

/** Whether a task of the loaded page is shown under the filter. */
export function matchesTaskFilter(
  task: { display_name: string; status: string },
  filter: TaskFilterValue,
): boolean {
  if (filter.status !== 'all' && task.status !== filter.status) return false;
  const name = filter.name.trim().toLowerCase();
  return name === '' || task.display_name.toLowerCase().includes(name);
}
