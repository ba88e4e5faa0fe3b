import { api } from '../../api/client';
import { EXPORT_FORMATS, type ExportFormat } from '../../api/types';

const LABELS: Record<ExportFormat, { short: string; long: string }> = {
  txt: { short: 'TXT', long: 'plain text' },
  srt: { short: 'SRT', long: 'SRT subtitles' },
  vtt: { short: 'VTT', long: 'WebVTT subtitles' },
  json: { short: 'JSON', long: 'JSON with segments and words' },
  md: { short: 'Markdown', long: 'Markdown for note apps' },
};

/** Downloads of the transcript: plain text, subtitles, JSON, or Markdown for note apps. */
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
          aria-label={`Export ${name} as ${LABELS[format].short}`}
          title={LABELS[format].long}
        >
          {LABELS[format].short}
        </a>
      ))}
    </fieldset>
  );
}
