import '../../styles/settings.css';
import { useEffect, useId, useRef, useState } from 'react';
import type { FolderRule, SettingsJson, SettingsValues } from './api';
import { useModels, useSaveSettings, useSettings } from './hooks';
import { LANGUAGES } from './languages';
import { ModelManager } from './ModelManager';
import { rebaseDraft } from './rebaseDraft';
import { SourceNote } from './SourceNote';

type Draft = SettingsValues;

function valuesOf(settings: SettingsJson): Draft {
  const out = {} as Record<string, unknown>;
  for (const [key, setting] of Object.entries(settings)) out[key] = setting.value;
  return out as unknown as Draft;
}

/** The keys whose draft differs from what Hark has, editable ones only: what Save sends. */
function changesOf(settings: SettingsJson, draft: Draft): Partial<SettingsValues> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(settings) as (keyof SettingsValues)[]) {
    const setting = settings[key];
    if (setting.editable && JSON.stringify(setting.value) !== JSON.stringify(draft[key]))
      out[key] = draft[key];
  }
  return out as Partial<SettingsValues>;
}

/** The Settings page: engine and models, languages and folder rules, transcripts, the queue; then the models. */
export function SettingsTab() {
  const settings = useSettings();
  const save = useSaveSettings();
  const [draft, setDraft] = useState<Draft | null>(null);
  const shown = useRef<Draft | null>(null);

  useEffect(() => {
    if (!settings.data) return;
    const after = valuesOf(settings.data);
    const before = shown.current;
    shown.current = after;
    setDraft((current) => rebaseDraft(current, before, after));
  }, [settings.data]);

  if (!settings.data || !draft) return <p className="loading-line">Loading the settings…</p>;
  const server = settings.data;
  const changes = changesOf(server, draft);
  const dirty = Object.keys(changes).length > 0;
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    save.reset();
    setDraft({ ...draft, [key]: value });
  };

  return (
    <div className="settings">
      <form
        className="settings__form"
        aria-label="Settings"
        onSubmit={(event) => {
          event.preventDefault();
          if (dirty) save.mutate(changes);
        }}
      >
        <section className="card settings__section" aria-labelledby="settings-engine">
          <h3 id="settings-engine">Engine and models</h3>
          <Field label="Engine" setting={server.engine}>
            {(id) => (
              <select
                id={id}
                value={draft.engine}
                disabled={!server.engine.editable}
                onChange={(e) => set('engine', e.target.value as Draft['engine'])}
              >
                <option value="auto">Automatic (whisper, else pocketsphinx)</option>
                <option value="whisper">whisper</option>
                <option value="pocketsphinx">pocketsphinx (offline, English only)</option>
                <option value="command">A command (--command)</option>
                <option value="fake">Demo (no model)</option>
              </select>
            )}
          </Field>
          <ModelSelect
            label="Model for recordings"
            settingKey="model_foreground"
            server={server}
            draft={draft}
            set={set}
          />
          <ModelSelect
            label="Model for background work"
            settingKey="model_background"
            server={server}
            draft={draft}
            set={set}
          />
        </section>

        <section className="card settings__section" aria-labelledby="settings-language">
          <h3 id="settings-language">Language</h3>
          <Field label="Language spoken" setting={server.language}>
            {(id) => (
              <LanguageSelect
                id={id}
                value={draft.language}
                disabled={!server.language.editable}
                onChange={(value) => set('language', value)}
                withDefault
              />
            )}
          </Field>
          <Field label="Translate into English" setting={server.translate}>
            {(id) => (
              <input
                id={id}
                type="checkbox"
                checked={draft.translate}
                disabled={!server.translate.editable}
                onChange={(e) => set('translate', e.target.checked)}
              />
            )}
          </Field>
          <Field
            label="Carry each 30-second window's words into the next (helps names and spelling)"
            setting={server.window_prompt}
          >
            {(id) => (
              <input
                id={id}
                type="checkbox"
                checked={draft.window_prompt}
                disabled={!server.window_prompt.editable}
                onChange={(e) => set('window_prompt', e.target.checked)}
              />
            )}
          </Field>
          <FolderRules
            rules={draft.folder_languages}
            onChange={(rules) => set('folder_languages', rules)}
            source={server.folder_languages}
          />
        </section>

        <section className="card settings__section" aria-labelledby="settings-work">
          <h3 id="settings-work">Transcripts and the queue</h3>
          <Field label="Transcript beside the audio" setting={server.sidecar_format}>
            {(id) => (
              <select
                id={id}
                value={draft.sidecar_format}
                disabled={!server.sidecar_format.editable}
                onChange={(e) => set('sidecar_format', e.target.value as Draft['sidecar_format'])}
              >
                <option value="txt">Plain text (.txt)</option>
                <option value="md">Markdown with front matter (.md)</option>
              </select>
            )}
          </Field>
          <Field label="When you record" setting={server.preempt}>
            {(id) => (
              <select
                id={id}
                value={draft.preempt}
                disabled={!server.preempt.editable}
                onChange={(e) => set('preempt', e.target.value as Draft['preempt'])}
              >
                <option value="always">Pause background work (your recording comes first)</option>
                <option value="never">Let background work go on</option>
              </select>
            )}
          </Field>
          <Field label="Short background tasks at once (1 = one at a time)" setting={server.parallel}>
            {(id) => (
              <input
                id={id}
                type="number"
                min={1}
                max={16}
                value={draft.parallel}
                disabled={!server.parallel.editable}
                onChange={(e) => set('parallel', Number(e.target.value))}
              />
            )}
          </Field>
          <Field label="Keep completed tasks (days, 0 = for ever)" setting={server.keep_completed_days}>
            {(id) => (
              <input
                id={id}
                type="number"
                min={0}
                max={3650}
                value={draft.keep_completed_days}
                disabled={!server.keep_completed_days.editable}
                onChange={(e) => set('keep_completed_days', Number(e.target.value))}
              />
            )}
          </Field>
          <Field
            label="Run background work only (e.g. 22:00-07:00, comma-separated)"
            setting={server.schedule}
          >
            {(id) => (
              <input
                id={id}
                type="text"
                placeholder="Any time"
                value={draft.schedule.join(', ')}
                disabled={!server.schedule.editable}
                onChange={(e) =>
                  set(
                    'schedule',
                    e.target.value
                      .split(',')
                      .map((w) => w.trim())
                      .filter(Boolean),
                  )
                }
              />
            )}
          </Field>
        </section>

        <div className="settings__actions">
          <button type="submit" className="button button--primary" disabled={!dirty || save.isPending}>
            {save.isPending ? 'Saving…' : 'Save settings'}
          </button>
          {dirty ? (
            <button type="button" className="button button--quiet" onClick={() => setDraft(valuesOf(server))}>
              Undo changes
            </button>
          ) : null}
          {save.isError ? (
            <p className="settings__error" role="alert">
              {save.error.message}
            </p>
          ) : save.isSuccess && !dirty ? (
            <p className="settings__saved" role="status">
              Saved. Hark uses the new settings from the next task on.
            </p>
          ) : null}
        </div>
      </form>
      <ModelManager />
    </div>
  );
}

function Field({
  label,
  setting,
  children,
}: {
  label: string;
  setting: SettingsJson[keyof SettingsJson];
  children: (id: string) => React.ReactNode;
}) {
  const id = useId();
  return (
    <div className="setting">
      <label htmlFor={id} className="setting__label">
        {label}
      </label>
      <div className="setting__control">{children(id)}</div>
      <SourceNote setting={setting} />
    </div>
  );
}

function ModelSelect({
  label,
  settingKey,
  server,
  draft,
  set,
}: {
  label: string;
  settingKey: 'model_foreground' | 'model_background';
  server: SettingsJson;
  draft: Draft;
  set: <K extends keyof Draft>(key: K, value: Draft[K]) => void;
}) {
  const models = useModels();
  const value = draft[settingKey];
  const names = new Set(models.data?.map((model) => model.name) ?? []);
  return (
    <Field label={label} setting={server[settingKey]}>
      {(id) => (
        <select
          id={id}
          value={value}
          disabled={!server[settingKey].editable}
          onChange={(e) => set(settingKey, e.target.value)}
        >
          {models.data?.map((model) => (
            <option key={model.name} value={model.name}>
              {model.name}
              {model.installed ? '' : ' (not downloaded)'}
            </option>
          ))}
          {names.has(value) ? null : <option value={value}>{value}</option>}
        </select>
      )}
    </Field>
  );
}

function LanguageSelect({
  id,
  value,
  onChange,
  disabled,
  withDefault,
}: {
  id?: string;
  value: string | null;
  onChange: (value: string | null) => void;
  disabled?: boolean;
  withDefault?: boolean;
}) {
  return (
    <select
      id={id}
      value={value ?? ''}
      disabled={disabled}
      onChange={(e) => onChange(e.target.value === '' ? null : e.target.value)}
    >
      {withDefault ? <option value="">The model's default (English for .en models)</option> : null}
      <option value="auto">Detect it (multilingual models)</option>
      {LANGUAGES.map(([code, name]) => (
        <option key={code} value={code}>
          {name} ({code})
        </option>
      ))}
    </select>
  );
}

function FolderRules({
  rules,
  onChange,
  source,
}: {
  rules: FolderRule[];
  onChange: (rules: FolderRule[]) => void;
  source: SettingsJson['folder_languages'];
}) {
  const update = (index: number, rule: FolderRule) =>
    onChange(rules.map((old, i) => (i === index ? rule : old)));
  return (
    <fieldset className="folder-rules">
      <legend>
        Folder languages <SourceNote setting={source} />
      </legend>
      <p className="folder-rules__hint">
        A folder and its subfolders in one language. A <code>.hark.json</code> in a folder, such as{' '}
        <code>{'{ "language": "de" }'}</code>, does the same.
      </p>
      {rules.length === 0 ? (
        <p className="folder-rules__empty">No folder rules: every note uses the language above.</p>
      ) : null}
      <ul className="folder-rules__list">
        {rules.map((rule, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place; a folder may be blank while typed
          <li key={index} className="folder-rule">
            <input
              type="text"
              aria-label={`Folder of rule ${index + 1}`}
              placeholder="Work/Berlin"
              value={rule.folder}
              onChange={(e) => update(index, { ...rule, folder: e.target.value })}
            />
            <LanguageSelect
              value={rule.language}
              onChange={(language) => update(index, { ...rule, language: language ?? 'auto' })}
            />
            <button
              type="button"
              className="button button--quiet button--small"
              onClick={() => onChange(rules.filter((_, i) => i !== index))}
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
      <button
        type="button"
        className="button button--small"
        onClick={() => onChange([...rules, { folder: '', language: 'de' }])}
      >
        Add a folder rule
      </button>
    </fieldset>
  );
}
