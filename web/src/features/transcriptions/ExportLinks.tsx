import { api } from '../../api/client';
import { EXPORT_FORMATS } from '../../api/types';

/** Downloads of the transcript as plain text or subtitles. */
export function ExportLinks({ id, name }: { id: string; name: string }) {
  return (
    <fieldset className="export-links">
      <legend className="export-links__label">Export</legend>
      {EXPORT_FORMATS.map((format) => (
        <a
          key={format}
          className="button button--small"
          href={api.exportUrl(id, format)}
          download
          aria-label={`Export ${name} as ${format.toUpperCase()}`}
        >
          {format.toUpperCase()}
        </a>
      ))}
    </fieldset>
  );
}
