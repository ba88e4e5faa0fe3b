import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type HealthJson, type ModelJson, type SettingsValues, settingsApi, settingsKeys } from './api';

const downloading = (models: ModelJson[] | undefined) =>
  models?.some((model) => model.download?.phase === 'downloading' || model.download?.phase === 'verifying') ??
  false;

export function useSettings() {
  return useQuery({
    queryKey: settingsKeys.settings,
    queryFn: () => settingsApi.get().then((body) => body.settings),
  });
}

/** The models, polled twice a second while one downloads (its progress bar moves), else on demand. */
export function useModels() {
  return useQuery({
    queryKey: settingsKeys.models,
    queryFn: () => settingsApi.models().then((body) => body.models),
    refetchInterval: (query) => (downloading(query.state.data) ? 500 : false),
  });
}

/** What Hark transcribes with: polled, fast while a download runs (the banner's progress). */
export function useHealth() {
  return useQuery<HealthJson>({
    queryKey: settingsKeys.health,
    queryFn: settingsApi.health,
    refetchInterval: (query) => ((query.state.data?.downloads?.length ?? 0) > 0 ? 500 : 5_000),
  });
}

/** Everything that depends on the engine is asked again after a change. */
function useRefreshEngine() {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: settingsKeys.models });
    void client.invalidateQueries({ queryKey: settingsKeys.health });
  };
}

export function useSaveSettings() {
  const client = useQueryClient();
  const refresh = useRefreshEngine();
  return useMutation({
    mutationFn: (changes: Partial<SettingsValues>) => settingsApi.put(changes),
    onSuccess: (body) => {
      client.setQueryData(settingsKeys.settings, body.settings);
      refresh();
    },
  });
}

export function useModelAction(action: 'download' | 'cancel' | 'remove') {
  const refresh = useRefreshEngine();
  return useMutation({ mutationFn: (name: string) => settingsApi[action](name), onSettled: refresh });
}
