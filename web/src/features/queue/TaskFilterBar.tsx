import { createContext, useContext } from 'react';
import { NO_FILTER, type TaskFilterValue } from './taskFilter';

export const TaskFilterContext = createContext<TaskFilterValue>(NO_FILTER);

export function useTaskFilter(): TaskFilterValue {
  return useContext(TaskFilterContext);
}

const STATUSES: { value: TaskFilterValue['status']; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'pending', label: 'Pending' },
  { value: 'processing', label: 'Running' },
  { value: 'failed', label: 'Failed' },
  { value: 'completed', label: 'Completed' },
  { value: 'cancelled', label: 'Cancelled' },
];

/** Filters the loaded lists by name and status (the lists' pages as loaded, not the server). */
export function TaskFilterBar({
  value,
  onChange,
}: {
  value: TaskFilterValue;
  onChange: (v: TaskFilterValue) => void;
}) {
  return (
    <div className="task-filter">
      <input
        type="search"
        className="search-box__input"
        aria-label="Filter tasks by name"
        placeholder="Filter by name"
        value={value.name}
        onChange={(event) => onChange({ ...value, name: event.target.value })}
      />
      <select
        className="search-box__input"
        aria-label="Filter tasks by status"
        value={value.status}
        onChange={(event) => onChange({ ...value, status: event.target.value as TaskFilterValue['status'] })}
      >
        {STATUSES.map((s) => (
          <option key={s.value} value={s.value}>
            {s.label}
          </option>
        ))}
      </select>
    </div>
  );
}
