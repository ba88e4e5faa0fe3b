import { notifySignedOut } from './signedOut';
import type {
  ErrorJson,
  ExportFormat,
  FinishedRecordingJson,
  ImportJson,
  NoteJson,
  PauseJson,
  QueueStatusJson,
  RecordingStateJson,
  RevealJson,
  Segment,
  TaskJson,
  TaskStatus,
} from './types';

/** A page of notes (`GET /api/transcriptions`). */
export interface NotePageJson {
  transcriptions: NoteJson[];
  next_cursor: string | null;
}

/** A refused or failed request, with the API's error kind and its message for people. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly kind: string,
    message: string,
    /** What else the error said (a duplicate import's `existing_id`). */
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const UNREACHABLE_MESSAGE = 'Hark is not reachable. Is it still running?';

function isErrorJson(body: unknown): body is ErrorJson {
  return typeof body === 'object' && body !== null && typeof (body as ErrorJson).message === 'string';
}

/**
 * An error answer as an ApiError. Most say `{error: kind, message}`; some
 * carry more in an object, `{error: {kind, message?, existing_id}}`.
 */
function errorOf(status: number, body: unknown): ApiError {
  const fallback = `Hark answered ${status}`;
  if (typeof body !== 'object' || body === null) return new ApiError(status, `http_${status}`, fallback);
  const error = (body as { error?: unknown }).error;
  if (typeof error === 'object' && error !== null) {
    const details = error as Record<string, unknown>;
    const kind = typeof details.kind === 'string' ? details.kind : `http_${status}`;
    const message =
      typeof details.message === 'string' ? details.message : isErrorJson(body) ? body.message : fallback;
    return new ApiError(status, kind, message, details);
  }
  if (isErrorJson(body)) return new ApiError(status, body.error, body.message, { ...body });
  return new ApiError(status, `http_${status}`, fallback);
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
  if (!response.ok) throw errorOf(response.status, body);
  return body as T;
}

const post = <T>(path: string, body?: FormData) => request<T>(path, { method: 'POST', body: body ?? null });

const sendJson = <T>(method: 'PATCH' | 'PUT' | 'POST', path: string, body: unknown) =>
  request<T>(path, { method, body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });

const notePath = (id: string) => `/api/transcriptions/${encodeURIComponent(id)}`;

function query(params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

function oneFile(file: Blob, name: string, fields: Record<string, string> = {}): FormData {
  const form = new FormData();
  // Fields before the file: the server reads the parts in order, and knows them when the file comes.
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  form.append('file', file, name);
  return form;
}

/** What a note's edit may change (PATCH /api/transcriptions/:id). */
export interface NotePatch {
  title?: string;
  text?: string;
  segments?: Segment[];
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
  cancelPending: () => post<{ cancelled: number }>('/api/tasks/cancel-pending'),
  retryAllFailed: () => post<{ retried: number }>('/api/tasks/retry-failed'),
  clearCompleted: () => post<{ cleared: number }>('/api/tasks/clear-completed'),
  clearCancelled: () => post<{ cleared: number }>('/api/tasks/clear-cancelled'),
  deleteTask: (id: number) => request<TaskJson>(`/api/tasks/${id}`, { method: 'DELETE' }),
  removeTasks: (ids: readonly number[]) =>
    sendJson<{ removed: number }>('POST', '/api/tasks/remove', { ids }),

  transcriptions: (q: string, page: PageRequest) =>
    request<NotePageJson>(
      `/api/transcriptions${query({ q: q.trim(), limit: page.limit, cursor: page.cursor })}`,
      { signal: page.signal ?? null },
    ),
  trashedTranscriptions: (page: PageRequest) =>
    request<NotePageJson>(
      `/api/transcriptions${query({ trashed: 1, limit: page.limit, cursor: page.cursor })}`,
      { signal: page.signal ?? null },
    ),
  transcription: (id: string, signal?: AbortSignal) =>
    request<NoteJson>(notePath(id), { signal: signal ?? null }),
  updateTranscription: (id: string, patch: NotePatch) => sendJson<NoteJson>('PATCH', notePath(id), patch),
  trashTranscription: (id: string) => request<NoteJson>(notePath(id), { method: 'DELETE' }),
  restoreTranscription: (id: string) => post<NoteJson>(`${notePath(id)}/restore`),
  revealTranscription: (id: string) => post<RevealJson>(`${notePath(id)}/reveal`),
  resolveAlternative: (id: string, choice: 'use' | 'dismiss') =>
    post<NoteJson>(`${notePath(id)}/alternative/${choice}`),
  audioUrl: (id: string) => `/api/transcriptions/${encodeURIComponent(id)}/audio`,
  exportUrl: (id: string, format: ExportFormat) =>
    `/api/transcriptions/${encodeURIComponent(id)}/export${query({ format })}`,

  /** One file; its last-modified time is the note's recorded time when its name carries none. */
  importFile: (
    file: File,
    options: { allowDuplicate?: boolean; language?: { language?: string; translate?: boolean } } = {},
  ) =>
    post<ImportJson>(
      '/api/imports',
      oneFile(file, file.name, {
        last_modified: String(file.lastModified),
        ...(options.allowDuplicate ? { allow_duplicate: '1' } : {}),
        // Absent: the folder rule and the settings decide (the server's /api/imports).
        ...(options.language?.language ? { language: options.language.language } : {}),
        ...(options.language?.translate === undefined
          ? {}
          : { translate: options.language.translate ? '1' : '0' }),
      }),
    ),

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
