import { displayName } from '../core/json.js';
import { shortNodeName } from '../core/nodeId.js';
import { taskKindWord } from '../core/taskKinds.js';
import { timeLeftWords } from '../core/timeLeft.js';
import { retryCount } from '../core/transitions.js';
import type { QueueStatus, Task } from '../core/types.js';

/** Left-aligned columns, two spaces apart. */
export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function percent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}

export function formatSeconds(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h ${m}m` : m > 0 ? `${m}m ${s % 60}s` : `${s}s`;
}

function when(ms: number | null): string {
  return ms === null ? '' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

export function taskRows(tasks: readonly Task[]): string[][] {
  return [
    ['ID', 'STATUS', 'PRI', 'PROGRESS', 'RETRIES', 'FILE', 'KIND', 'CREATED', 'ERROR'],
    ...tasks.map((task) => [
      String(task.id),
      task.status,
      String(task.priority),
      task.status === 'processing' || task.progress > 0 ? percent(task.progress) : '',
      `${retryCount(task)}/${task.maxRetries}`,
      displayName(task.audioPath, task.originalName),
      taskKindWord(task),
      when(task.createdAt),
      task.errorMessage ?? '',
    ]),
  ];
}

/**
 * The queue as `hark status` prints it. `totalLeft`: the running app's total time left for all
 * queued work (GET /api/queue's eta_total_seconds), said as the web strip says it; no line when
 * it is not known or there is no work.
 */
export function statusText(status: QueueStatus, eta: number | null, totalLeft: number | null = null): string {
  const lines: string[] = [];
  const { pause, counts, activeTask } = status;
  lines.push(
    pause.paused
      ? `Queue: paused${pause.reason && pause.reason !== 'user' ? ` (${pause.reason})` : ' by you'}`
      : 'Queue: running',
  );
  const running = status.activeTasks.length > 0 ? status.activeTasks : activeTask ? [activeTask] : [];
  for (const task of running) {
    const name = displayName(task.audioPath, task.originalName);
    const left = task === running[0] ? eta : null;
    // With several running (worker nodes), each says where.
    const where = running.length > 1 && task.lockedBy ? ` on ${shortNodeName(task.lockedBy)}` : '';
    lines.push(
      `Now:   ${name} ${percent(task.progress)}${left !== null ? `, about ${formatSeconds(left)} left` : ''}${where}`,
    );
  }
  lines.push(
    `Tasks: ${counts.pending} pending, ${counts.processing} processing, ${counts.completed} completed, ` +
      `${counts.failed} failed, ${counts.cancelled} cancelled`,
  );
  if (totalLeft !== null && counts.pending + counts.processing > 0)
    lines.push(`All queued work: ${timeLeftWords(totalLeft)}`);
  if (status.page.tasks.length > 0) lines.push('', table(taskRows(status.page.tasks)));
  return lines.join('\n');
}
