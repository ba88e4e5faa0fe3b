import { ApiError, UNREACHABLE_MESSAGE } from '../../api/client';
import { queryKeys } from '../../api/queryKeys';

export type SettingSource = 'default' | 'saved' | 'flag' | 'env';

export interface Setting<V> {
  value: V;
  source: SettingSource;
  editable: boolean;
  pinned_by?: string;
}

export interface FolderRule {
  folder: string;
  language: string;
  translate?: boolean;
}

export interface SettingsValues {
  engine: 'auto' | 'whisper' | 'pocketsphinx' | 'command' | 'fake';
  model_foreground: string;
  model_background: string;
  language: string | null;
  folder_languages: FolderRule[];
  translate: boolean;
  window_prompt: boolean;
  sidecar_format: 'txt' | 'md';
  preempt: 'always' | 'never';
  parallel: number;
  keep_completed_days: number;
  schedule: string[];
}

export type SettingsJson = { [K in keyof SettingsValues]: Setting<SettingsValues[K]> };

export interface DownloadJson {
  phase: 'downloading' | 'verifying' | 'failed' | 'cancelled';
  bytes: number;
  total: number;
  error: string | null;
}

export interface ModelJson {
  name: string;
  installed: boolean;
  size_bytes: number | null;
  partial_bytes: number;
  known: boolean;
  multilingual: boolean | null;
  languages: 'en' | 'multilingual' | null;
  speed: number | null;
  accuracy: number | null;
  in_use: boolean;
  download: DownloadJson | null;
}

export interface EngineChoiceJson {
  kind: 'whisper' | 'pocketsphinx' | 'command' | 'fake' | 'none';
  engine: string | null;
  model: string | null;
  reason: string;
  fallback_reason: string | null;
  waiting_for: string | null;
}

export interface HealthJson {
  engine: string | null;
  model: string | null;
  fallback_reason: string | null;
  engines?: { foreground: EngineChoiceJson; background: EngineChoiceJson };
  downloads?: (DownloadJson & { name: string })[];
}

async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      ...init,
      headers: { Accept: 'application/json', ...(init.body ? { 'Content-Type': 'application/json' } : {}) },
    });
  } catch {
    throw new ApiError(0, 'unreachable', UNREACHABLE_MESSAGE);
  }
  const body = (await response.json().catch(() => null)) as { error?: string; message?: string } | null;
  if (!response.ok) {
    throw new ApiError(
      response.status,
      body?.error ?? `http_${response.status}`,
      body?.message ?? `Hark answered ${response.status}`,
    );
  }
  return body as T;
}

export const settingsApi = {
  get: () => call<{ settings: SettingsJson }>('/api/settings'),
  put: (changes: Partial<SettingsValues>) =>
    call<{ settings: SettingsJson }>('/api/settings', { method: 'PUT', body: JSON.stringify(changes) }),
  models: () => call<{ models: ModelJson[] }>('/api/models'),
  download: (name: string) =>
    call<unknown>(`/api/models/${encodeURIComponent(name)}/download`, { method: 'POST' }),
  cancel: (name: string) =>
    call<unknown>(`/api/models/${encodeURIComponent(name)}/cancel`, { method: 'POST' }),
  remove: (name: string) => call<unknown>(`/api/models/${encodeURIComponent(name)}`, { method: 'DELETE' }),
  health: () => call<HealthJson>('/api/health'),
};

export const settingsKeys = {
  settings: queryKeys.settings,
  models: ['models'] as const,
  health: queryKeys.health,
};
