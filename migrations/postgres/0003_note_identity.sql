-- SQLite's 0004_note_identity (issue 11): title, origin, content fingerprint, edits, the trash and
-- "audio missing". Titles and recorded_at of existing rows are filled in by the store as it opens
-- (src/db/postgres/queries/backfillNotes.ts), marked by a NULL title until then.

ALTER TABLE transcriptions ADD COLUMN title text;
ALTER TABLE transcriptions ADD COLUMN origin text NOT NULL DEFAULT 'found'
  CHECK (origin IN ('recorded', 'found', 'imported'));
ALTER TABLE transcriptions ADD COLUMN fingerprint text;
ALTER TABLE transcriptions ADD COLUMN edited integer NOT NULL DEFAULT 0;
ALTER TABLE transcriptions ADD COLUMN edited_at bigint;
ALTER TABLE transcriptions ADD COLUMN alternative_text text;
ALTER TABLE transcriptions ADD COLUMN alternative_segments text;
ALTER TABLE transcriptions ADD COLUMN audio_missing integer NOT NULL DEFAULT 0;
ALTER TABLE transcriptions ADD COLUMN trashed_at bigint;
ALTER TABLE transcriptions ADD COLUMN trash_audio_path text;
ALTER TABLE transcriptions ADD COLUMN trash_sidecar_path text;

UPDATE transcriptions SET origin = CASE
  WHEN source = 'recording' THEN 'recorded'
  WHEN source = 'imported' AND audio_path LIKE 'imports/%' THEN 'imported'
  ELSE 'found' END;

CREATE INDEX transcriptions_fingerprint ON transcriptions (fingerprint) WHERE fingerprint IS NOT NULL;
CREATE INDEX transcriptions_trash ON transcriptions (trashed_at DESC, seq DESC) WHERE trashed_at IS NOT NULL;
CREATE INDEX transcriptions_untitled ON transcriptions (seq) WHERE title IS NULL;
