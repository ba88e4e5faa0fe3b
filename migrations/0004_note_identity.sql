-- Notes a person can live with (issue 11): a title, where the note came from in plain words, a
-- content fingerprint that follows a moved file, edits, the trash, and "audio missing".
-- Existing rows get their origin here; their title and recorded_at from the name and folder are
-- filled in by the store as it opens (src/db/queries/backfillNotes.ts: the rule is core's
-- recordedAtFor, which SQL cannot run), marked by a NULL title until then.

-- NULL only until the backfill: every new row is written with its title.
ALTER TABLE transcriptions ADD COLUMN title TEXT;
ALTER TABLE transcriptions ADD COLUMN origin TEXT NOT NULL DEFAULT 'found'
  CHECK (origin IN ('recorded', 'found', 'imported'));
-- Size and a hash of the first, middle and last 64 KiB (src/files/fingerprint.ts).
ALTER TABLE transcriptions ADD COLUMN fingerprint TEXT;
ALTER TABLE transcriptions ADD COLUMN edited INTEGER NOT NULL DEFAULT 0;
ALTER TABLE transcriptions ADD COLUMN edited_at INTEGER;
-- A re-transcription of an edited note: kept beside the edit, never over it.
ALTER TABLE transcriptions ADD COLUMN alternative_text TEXT;
ALTER TABLE transcriptions ADD COLUMN alternative_segments TEXT;
-- 1 when the audio is gone from the notes folder (the transcript is kept).
ALTER TABLE transcriptions ADD COLUMN audio_missing INTEGER NOT NULL DEFAULT 0;
-- The trash: when, and where the audio and Hark's sidecar went (relative to <data>/trash/).
-- audio_path keeps the place they are restored to, so the scanner never takes it for an orphan.
ALTER TABLE transcriptions ADD COLUMN trashed_at INTEGER;
ALTER TABLE transcriptions ADD COLUMN trash_audio_path TEXT;
ALTER TABLE transcriptions ADD COLUMN trash_sidecar_path TEXT;

UPDATE transcriptions SET origin = CASE
  WHEN source = 'recording' THEN 'recorded'
  WHEN source = 'imported' AND audio_path LIKE 'imports/%' THEN 'imported'
  ELSE 'found' END;

CREATE INDEX transcriptions_fingerprint ON transcriptions (fingerprint) WHERE fingerprint IS NOT NULL;
CREATE INDEX transcriptions_trash ON transcriptions (trashed_at DESC, seq DESC) WHERE trashed_at IS NOT NULL;
CREATE INDEX transcriptions_untitled ON transcriptions (seq) WHERE title IS NULL;
