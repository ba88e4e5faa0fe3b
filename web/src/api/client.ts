import { notifySignedOut } from './signedOut';
import type {
  ErrorJson,
  ExportFormat,
  FinishedRecordingJson,
  ImportJson,
  PauseJson,
  QueueStatusJson,
  RecordingStateJson,
  TaskJson,
  TaskStatus,
  TranscriptionPageJson,
} from './types';

/** A refused or failed request, with the API's error kind and its message for people. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly kind: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const UNREACHABLE_MESSAGE = 'Hark is not reachable. Is it still running?';

function isErrorJson(body: unknown): body is ErrorJson {
  return typeof body === 'object' && body !== null && typeof (body as ErrorJson).message === 'string';
}

export async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers: { Accept: 'application/json', ...init.headers } });
  } catch (caught) {
    // A fetch the page called off (a list asked for again) is not Hark being unreachable.
    if (init.signal?.aborted) throw caught;
    throw new ApiError(0, 'unreachable', UNREACHABLE_MESSAGE);
  }
  const body: unknown = await response.json().catch(() => null);
  if (response.status === 401) notifySignedOut();
  if (!response.ok) {
    throw isErrorJson(body)
      ? new ApiError(response.status, body.error, body.message)
      : new ApiError(response.status, `http_${response.status}`, `Hark answered ${response.status}`);
  }
  return body as T;
}

const post = <T>(path: string, body?: FormData) => request<T>(path, { method: 'POST', body: body ?? null });

function query(params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

function oneFile(file: Blob, name: string): FormData {
  const form = new FormData();
  form.append('file', file, name);
  return form;
}

/** An import: the file's own last-modified time (its recording time, failing its name) goes before it. */
function importForm(file: File, allowDuplicate: boolean): FormData {
  const form = new FormData();
  form.append('last_modified', String(file.lastModified));
  if (allowDuplicate) form.append('allow_duplicate', '1');
  form.append('file', file, file.name);
  return form;
}

export interface PageRequest {
  cursor: string | null;
  limit: number;
  /** Calls the request off (a newer fetch of the same list replaces it). */
  signal?: AbortSignal;
}

/** The Hark API, typed. Every call rejects with an ApiError. */
export const api = {
  queue: (status: TaskStatus, page: PageRequest) =>
    request<QueueStatusJson>(`/api/queue${query({ status, limit: page.limit, cursor: page.cursor })}`, {
      signal: page.signal ?? null,
    }),
  pause: () => post<PauseJson>('/api/queue/pause'),
  resume: () => post<PauseJson>('/api/queue/resume'),

  retryTask: (id: number) => post<TaskJson>(`/api/tasks/${id}/retry`),
  cancelTask: (id: number) => post<TaskJson>(`/api/tasks/${id}/cancel`),
  moveTaskToFront: (id: number) => post<TaskJson>(`/api/tasks/${id}/move-to-front`),
  retryAllFailed: () => post<{ retried: number }>('/api/tasks/retry-failed'),
  clearCompleted: () => post<{ cleared: number }>('/api/tasks/clear-completed'),
  clearCancelled: () => post<{ cleared: number }>('/api/tasks/clear-cancelled'),
  deleteTask: (id: number) => request<TaskJson>(`/api/tasks/${id}`, { method: 'DELETE' }),

  transcriptions: (q: string, page: PageRequest) =>
    request<TranscriptionPageJson>(
      `/api/transcriptions${query({ q: q.trim(), limit: page.limit, cursor: page.cursor })}`,
      { signal: page.signal ?? null },
    ),
  audioUrl: (id: string) => `/api/transcriptions/${encodeURIComponent(id)}/audio`,
  exportUrl: (id: string, format: ExportFormat) =>
    `/api/transcriptions/${encodeURIComponent(id)}/export${query({ format })}`,

  importFile: (file: File, options: { allowDuplicate?: boolean } = {}) =>
    post<ImportJson>('/api/imports', importForm(file, options.allowDuplicate ?? false)),

  startRecording: () => post<RecordingStateJson>('/api/recordings/start'),
  cancelRecording: () => post<RecordingStateJson>('/api/recordings/cancel'),
  finishRecording: (audio: Blob, name: string) =>
    post<FinishedRecordingJson>('/api/recordings', oneFile(audio, name)),
};

/** A message for people from anything a call threw. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
