import { ProgressBar } from '../../components/ProgressBar';
import { useHealth, useModelAction, useSettings } from './hooks';

/**
 * Says what the page cannot otherwise show: a model downloading (with its
 * progress; the queue waits for it), a download that failed (why, and a
 * retry), or Hark on the offline fallback (why, and the download that fixes it).
 */
export function EngineBanner({ onOpenSettings }: { onOpenSettings: () => void }) {
  const health = useHealth();
  const download = useModelAction('download');
  const settings = useSettings();
  const data = health.data;
  if (!data) return null;
  const running = data.downloads?.find((d) => d.phase === 'downloading' || d.phase === 'verifying');
  const wanted = data.engines?.background.waiting_for ?? settings.data?.model_background.value ?? 'base.en';
  if (running) {
    const percent = running.total ? Math.floor((100 * running.bytes) / running.total) : 0;
    return (
      <div className="engine-banner engine-banner--info" role="status">
        <div className="engine-banner__text">
          <strong>
            Downloading the {running.name} model:{' '}
            {running.phase === 'verifying' ? 'verifying…' : `${percent}%`}
          </strong>
          <span>
            {data.engines?.background.waiting_for
              ? 'Background transcription starts as soon as it is verified. Recordings are still taken.'
              : 'Hark switches to it as soon as it is verified.'}
          </span>
        </div>
        <ProgressBar
          value={running.total ? running.bytes / running.total : 0}
          label={`Downloading ${running.name}`}
        />
      </div>
    );
  }
  const failed = data.downloads?.find((d) => d.phase === 'failed');
  if (!data.fallback_reason && !failed) return null;
  const name = failed?.name ?? wanted;
  return (
    <div className="engine-banner engine-banner--warning" role="alert">
      <div className="engine-banner__text">
        <strong>
          {data.engine === 'pocketsphinx'
            ? 'Transcribing with pocketsphinx, the offline fallback'
            : `The ${name} download failed`}
        </strong>
        <span>
          {data.fallback_reason ? `Why: ${data.fallback_reason}. ` : `Why: ${failed?.error}. `}
          {data.engine === 'pocketsphinx'
            ? 'Its transcripts are English only, without punctuation; whisper is much better.'
            : ''}
        </span>
      </div>
      <div className="engine-banner__actions">
        <button
          type="button"
          className="button button--primary button--small"
          disabled={download.isPending}
          onClick={() => download.mutate(name)}
        >
          {failed ? `Retry the ${name} download` : `Download ${name}`}
        </button>
        <button type="button" className="link-button" onClick={onOpenSettings}>
          Models and settings
        </button>
      </div>
    </div>
  );
}
