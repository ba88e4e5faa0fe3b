import { useState } from 'react';
import { ProgressBar } from '../../components/ProgressBar';
import type { ModelJson } from './api';
import { useModelAction, useModels, useSaveSettings, useSettings } from './hooks';

const MB = 1024 * 1024;
const size = (bytes: number | null) =>
  bytes === null
    ? ''
    : bytes >= 1024 * MB
      ? `${(bytes / 1024 / MB).toFixed(1)} GB`
      : `${Math.round(bytes / MB)} MB`;

/** Five dots, `value` of them filled: a rough hint, not a measurement. */
function Dots({ value, label }: { value: number | null; label: string }) {
  if (value === null) return <span className="muted">–</span>;
  return (
    <span className="dots" role="img" aria-label={`${label} ${value} of 5`}>
      {[1, 2, 3, 4, 5].map((i) => (
        <span key={i} className={i <= value ? 'dots__on' : 'dots__off'} aria-hidden="true" />
      ))}
    </span>
  );
}

/** The catalog, what is on disk, downloads with progress, cancel, resume and remove; and a model file from disk. */
export function ModelManager() {
  const models = useModels();
  return (
    <section className="card settings__section model-manager" aria-labelledby="settings-models">
      <h3 id="settings-models">Whisper models</h3>
      <p className="muted">
        Downloads are checked against whisper.cpp's published checksums. A stopped download resumes where it
        stopped.
      </p>
      {models.isError ? <p role="alert">{models.error.message}</p> : null}
      <ul className="model-list">
        {models.data?.map((model) => (
          <ModelRow key={model.name} model={model} />
        ))}
      </ul>
      <ModelFromDisk />
    </section>
  );
}

function ModelRow({ model }: { model: ModelJson }) {
  const download = useModelAction('download');
  const cancel = useModelAction('cancel');
  const remove = useModelAction('remove');
  const state = model.download;
  const running = state?.phase === 'downloading' || state?.phase === 'verifying';
  const error = download.error ?? cancel.error ?? remove.error;
  return (
    <li className="model-row" aria-label={`Model ${model.name}`}>
      <div className="model-row__name">
        <strong>{model.name}</strong>
        {/-q\d_\d$/.test(model.name) ? (
          <span className="tag" title="Smaller and lighter on memory, for a little accuracy">
            quantized
          </span>
        ) : null}
        {model.in_use ? <span className="tag">in use</span> : null}
        {model.installed && !model.in_use ? <span className="tag tag--imported">downloaded</span> : null}
      </div>
      <div className="model-row__facts">
        {/* A quantized model whose exact size no source gives: the download takes the server's. */}
        <span>{model.size_bytes === null ? 'size given by the download' : size(model.size_bytes)}</span>
        <span>
          {model.languages === 'en'
            ? 'English only'
            : model.languages === 'multilingual'
              ? '99 languages'
              : ''}
        </span>
        <span className="model-row__hint">
          speed <Dots value={model.speed} label="speed" />
        </span>
        <span className="model-row__hint">
          accuracy <Dots value={model.accuracy} label="accuracy" />
        </span>
      </div>
      <div className="model-row__actions">
        {running && state ? (
          <div className="model-row__progress">
            <ProgressBar
              value={state.total ? state.bytes / state.total : 0}
              label={`Downloading ${model.name}`}
            />
            <span>
              {state.phase === 'verifying'
                ? 'Verifying…'
                : state.total
                  ? `${Math.floor((100 * state.bytes) / state.total)}% of ${size(state.total)}`
                  : `${size(state.bytes)} so far`}
            </span>
            <button type="button" className="button button--small" onClick={() => cancel.mutate(model.name)}>
              Cancel
            </button>
          </div>
        ) : model.installed ? (
          <button
            type="button"
            className="button button--quiet button--small"
            disabled={model.in_use}
            title={model.in_use ? 'Choose another model first' : undefined}
            onClick={() => remove.mutate(model.name)}
          >
            Remove
          </button>
        ) : model.known ? (
          <button type="button" className="button button--small" onClick={() => download.mutate(model.name)}>
            {state?.phase === 'failed'
              ? 'Retry download'
              : model.partial_bytes > 0
                ? `Resume (${size(model.partial_bytes)} done)`
                : 'Download'}
          </button>
        ) : null}
      </div>
      {state?.phase === 'failed' ? (
        <p className="model-row__error" role="alert">
          The download failed: {state.error}
        </p>
      ) : null}
      {error ? (
        <p className="model-row__error" role="alert">
          {error.message}
        </p>
      ) : null}
    </li>
  );
}

function ModelFromDisk() {
  const [path, setPath] = useState('');
  const save = useSaveSettings();
  const settings = useSettings();
  const editable = settings.data?.model_foreground.editable && settings.data?.model_background.editable;
  return (
    <form
      className="model-from-disk"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate({ model_foreground: path.trim(), model_background: path.trim() });
      }}
    >
      <label htmlFor="model-path">Use a model file from disk</label>
      <div className="model-from-disk__row">
        <input
          id="model-path"
          type="text"
          placeholder="/home/me/models/ggml-small.bin"
          value={path}
          onChange={(e) => setPath(e.target.value)}
          disabled={!editable}
        />
        <button
          type="submit"
          className="button button--small"
          disabled={!path.trim() || save.isPending || !editable}
        >
          Use this file
        </button>
      </div>
      {save.isError ? (
        <p role="alert" className="model-row__error">
          {save.error.message}
        </p>
      ) : null}
      {save.isSuccess ? (
        <p role="status">Hark now uses {path.trim()} for recordings and background work.</p>
      ) : null}
    </form>
  );
}
