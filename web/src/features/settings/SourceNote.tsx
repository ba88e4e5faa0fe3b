import type { Setting } from './api';

/** Where a setting's value comes from: "set by --engine", "saved", "default". */
export function SourceNote({ setting }: { setting: Setting<unknown> }) {
  const text =
    setting.source === 'flag' || setting.source === 'env'
      ? `set by ${setting.pinned_by ?? setting.source}`
      : setting.source === 'saved'
        ? 'saved'
        : 'default';
  return <span className={`setting-source setting-source--${setting.source}`}>{text}</span>;
}
