import { etaFromRow } from '../core/eta.js';
import {
  type PendingAudioTotals,
  remainingAudioSeconds,
  runningEtaSeconds,
  totalEtaSeconds,
} from '../core/etaTotal.js';
import { queueStatusToJson, taskToJson } from '../core/json.js';
import type { RecordingStateHolder } from '../core/recordingState.js';
import type { TaskFilter } from '../core/store.js';
import type { Task } from '../core/types.js';
import type { QueueManager } from '../queue/queueManager.js';
import type { StatusCache } from './statusCache.js';

/**
 * A page of the queue status, serialized in pieces. Everything but the
 * running task changes only when the queue does (a claim, a completion, a
 * pause), so it is read and serialized once per such change; the running
 * task's progress and time left change ten times a second and are filled in
 * fresh on every answer.
 */
export interface StatusPage {
  /** `"is_paused":…,"recording_state":…` */
  state: string;
  /** `"pending_count":…,"cancelled_count":…` */
  counts: string;
  /** Each task of the page, serialized, and its id; and all of them joined (when the running task is not among them). */
  rows: string[];
  ids: number[];
  joined: string;
  nextCursor: string | null;
  /** The running task as read with the page (another process's, when this one runs none). */
  active: Task | null;
  /** Every running task as read with the page, on any node, oldest claim first. */
  actives: Task[];
  /** The pending tasks' audio still to hear, summed (core/etaTotal.ts), and the engine's measured speed. */
  pendingTotals: PendingAudioTotals;
  realTimeFactor: number | null;
}

const inner = (value: object) => JSON.stringify(value).slice(1, -1);

async function readPage(
  queue: QueueManager,
  recording: RecordingStateHolder,
  filter: TaskFilter,
  engine: string | null,
  /** The queue's totals, shared by every page: read once per change (a sum over all pending tasks). */
  workloads: StatusCache<Awaited<ReturnType<QueueManager['workload']>>>,
): Promise<StatusPage> {
  const [status, workload] = await Promise.all([
    queue.getQueueStatus(filter, recording.get()),
    workloads.get(engine ?? '', () => queue.workload(engine)),
  ]);
  const json = queueStatusToJson(status);
  const rows = json.tasks.map((task) => JSON.stringify(task));
  return {
    state: inner({
      is_paused: json.is_paused,
      pause_reason: json.pause_reason,
      paused_at: json.paused_at,
      recording_state: json.recording_state,
    }),
    counts: inner({
      pending_count: json.pending_count,
      processing_count: json.processing_count,
      completed_count: json.completed_count,
      failed_count: json.failed_count,
      cancelled_count: json.cancelled_count,
    }),
    rows,
    ids: json.tasks.map((task) => task.id),
    joined: rows.join(','),
    nextCursor: json.next_cursor,
    active: status.activeTask,
    actives: status.activeTasks,
    pendingTotals: workload.pending,
    realTimeFactor: workload.realTimeFactor,
  };
}

/** The body of GET /api/queue (a QueueStatusJson) for `filter`, from the cache when the queue has not changed. */
export async function queueStatusBody(
  queue: QueueManager,
  recording: RecordingStateHolder,
  cache: StatusCache<StatusPage>,
  filter: TaskFilter & { limit: number },
  /** The background engine in use (`whisper:base.en`): whose measured speed the total time left is drawn from. */
  engine: string | null,
): Promise<string> {
  const key = `${filter.status ?? ''}|${filter.limit}|${filter.cursor ?? ''}|${engine ?? ''}`;
  const page = await cache.get(key, () =>
    readPage(queue, recording, filter, engine, cache.companion('workload')),
  );
  const running = queue.activeTask;
  // This node's own tasks (several with --parallel), live.
  const live = new Map(queue.runningTasks.map((task) => [task.id, task]));
  const now = queue.now();
  // This node's own task is live (its progress ten times a second, its pace in this run); the
  // other nodes' are as their rows were read with the page.
  const etaOf = (task: Task) => (live.has(task.id) ? queue.activeEtaSeconds(task.id) : etaFromRow(task, now));
  const json = (task: Task) => JSON.stringify(taskToJson(task, etaOf(task)));
  const actives = page.actives.map((task) => live.get(task.id) ?? task);
  for (const task of [...live.values()].reverse()) {
    if (!actives.some((active) => active.id === task.id)) actives.unshift(task);
  }
  const etaTotal = totalEtaSeconds({
    runningEtas: actives.map((task) =>
      runningEtaSeconds(etaOf(task), remainingAudioSeconds(task), page.realTimeFactor),
    ),
    pending: page.pendingTotals,
    realTimeFactor: page.realTimeFactor,
  });
  const activesJson = new Map(actives.map((task) => [task.id, json(task)]));
  const active = running ?? page.active;
  const activeJson = active ? (activesJson.get(active.id) ?? json(active)) : 'null';
  const tasks = page.ids.some((id) => activesJson.has(id))
    ? page.rows.map((row, i) => activesJson.get(page.ids[i] as number) ?? row).join(',')
    : page.joined;
  return (
    `{${page.state},"active_task":${activeJson},"active_tasks":[${[...activesJson.values()].join(',')}],` +
    `${page.counts},"eta_total_seconds":${JSON.stringify(etaTotal)},"tasks":[${tasks}],` +
    `"next_cursor":${JSON.stringify(page.nextCursor)}}`
  );
}
