-- Hark's schema on PostgreSQL: the same tables and columns as SQLite's migrations/0001 and 0002,
-- numbered on their own (src/db/postgres/migrate.ts). Append-only, as there. Times are epoch
-- milliseconds in bigint (the driver hands them back as numbers); paths are relative to the
-- notes folder with '/' separators.

CREATE TABLE transcriptions (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id text NOT NULL UNIQUE,
  audio_path text NOT NULL UNIQUE,
  status text NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'complete', 'no_speech', 'failed')),
  source text NOT NULL CHECK (source IN ('recording', 'orphan', 'imported')),
  original_name text,
  transcription_text text,
  segments text,                 -- JSON: [{"start":s,"end":s,"text":"..."}]
  language text,
  duration double precision,     -- seconds
  engine text,
  error_kind text,
  error_message text,
  file_size bigint,
  file_mtime_ms bigint,
  sidecar_path text,
  sidecar_state text CHECK (sidecar_state IN ('pending', 'written', 'adopted', 'kept_existing')),
  -- SQLite's column, kept for the same shape; PostgreSQL's index is never stale (search_vector).
  search_stale integer NOT NULL DEFAULT 0,
  created_at bigint NOT NULL,
  recorded_at bigint NOT NULL,
  transcribed_at bigint,
  -- Full-text search. The words are split, lower-cased and stripped of diacritics by Hark itself
  -- (src/db/postgres/searchWords.ts), exactly as SQLite's unicode61 tokenizer does them, and become
  -- lexemes verbatim: no text-search parser or dictionary, whose word boundaries depend on the
  -- server's locale, stands in between. The transcript's words and the name's (original name and
  -- path) are kept apart so that writing a transcript does not recompute the name's.
  text_words text NOT NULL DEFAULT '',
  name_words text NOT NULL DEFAULT '',
  search_vector tsvector GENERATED ALWAYS AS (
    array_to_tsvector(array_remove(string_to_array(text_words || ' ' || name_words, ' '), ''))
  ) STORED
);

CREATE INDEX transcriptions_main_list ON transcriptions (recorded_at DESC, seq DESC)
  WHERE source = 'recording' OR status IN ('complete', 'no_speech');
CREATE INDEX transcriptions_pending_sidecars ON transcriptions (sidecar_state) WHERE sidecar_state = 'pending';
CREATE INDEX transcriptions_search ON transcriptions USING gin (search_vector);

CREATE TABLE background_tasks (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  transcription_id text NOT NULL REFERENCES transcriptions (id) ON DELETE CASCADE,
  task_type text NOT NULL CHECK (task_type IN ('transcribe_orphan', 'transcribe_imported')),
  priority integer NOT NULL DEFAULT 0 CHECK (priority BETWEEN 0 AND 2),
  status text NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'processing', 'completed', 'failed', 'cancelled')),
  payload text NOT NULL DEFAULT '{}',
  progress double precision NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1),
  attempts integer NOT NULL DEFAULT 0,       -- counted at claim; retry_count = attempts - 1
  max_retries integer NOT NULL DEFAULT 2,
  preempted_count integer NOT NULL DEFAULT 0,
  error_message text,
  error_kind text,
  order_key bigint NOT NULL,
  created_at bigint NOT NULL,
  available_at bigint NOT NULL,
  started_at bigint,
  completed_at bigint,
  locked_by text,
  locked_at bigint,
  checkpoint_seconds double precision NOT NULL DEFAULT 0,
  checkpoint_chunks integer NOT NULL DEFAULT 0,
  checkpoint_chunks_at_claim integer NOT NULL DEFAULT 0,
  -- SQLite's 0002: 1 while the running attempt's engine child hears a window, and how many
  -- deaths in there this task has been forgiven (core's afterCrash, src/core/retryRules.ts).
  in_engine_child integer NOT NULL DEFAULT 0,
  forgiven_crashes integer NOT NULL DEFAULT 0
);

CREATE UNIQUE INDEX background_tasks_one_live_per_transcription
  ON background_tasks (transcription_id) WHERE status IN ('pending', 'processing');
CREATE INDEX background_tasks_claim_order
  ON background_tasks (priority DESC, order_key, id) WHERE status = 'pending';
CREATE INDEX background_tasks_processing ON background_tasks (started_at) WHERE status = 'processing';
CREATE INDEX background_tasks_finished ON background_tasks (status, completed_at DESC, id DESC)
  WHERE completed_at IS NOT NULL;

CREATE TABLE task_chunks (
  task_id bigint NOT NULL REFERENCES background_tasks (id) ON DELETE CASCADE,
  chunk_index integer NOT NULL,
  start_sec double precision NOT NULL,
  end_sec double precision NOT NULL,
  segments text NOT NULL,
  PRIMARY KEY (task_id, chunk_index)
);

CREATE TABLE app_state (
  key text PRIMARY KEY,
  value text NOT NULL,
  updated_at bigint NOT NULL
);

-- Counts kept by triggers, so the queue status reads a fixed 40 rows at any queue size. One
-- row per status would make every claim and completion of every node wait for the one
-- transaction holding that row; instead each status has 8 slots, a connection writes the slot
-- of its backend pid, and a read sums them.
CREATE TABLE task_counts (
  status text NOT NULL,
  slot integer NOT NULL,
  n bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (status, slot)
);
INSERT INTO task_counts (status, slot)
  SELECT s, slot FROM unnest(ARRAY['pending', 'processing', 'completed', 'failed', 'cancelled']) AS s,
                      generate_series(0, 7) AS slot;

CREATE FUNCTION hark_count_tasks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE task_counts SET n = n - 1 WHERE status = OLD.status AND slot = pg_backend_pid() % 8;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    UPDATE task_counts SET n = n + 1 WHERE status = NEW.status AND slot = pg_backend_pid() % 8;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER background_tasks_count_insert AFTER INSERT ON background_tasks
  FOR EACH ROW EXECUTE FUNCTION hark_count_tasks();
CREATE TRIGGER background_tasks_count_delete AFTER DELETE ON background_tasks
  FOR EACH ROW EXECUTE FUNCTION hark_count_tasks();
CREATE TRIGGER background_tasks_count_update AFTER UPDATE OF status ON background_tasks
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION hark_count_tasks();

-- Change detection (the store's dataVersion): every statement that writes Hark's tables bumps
-- a counter inside its own transaction, so the sum moves exactly when a change commits. Slotted
-- like the counts, so that it does not serialise writers either.
CREATE TABLE data_versions (
  slot integer PRIMARY KEY,
  v bigint NOT NULL DEFAULT 0
);
INSERT INTO data_versions (slot) SELECT generate_series(0, 7);

CREATE FUNCTION hark_bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- A statement that matched no row (an empty claim, a refused write) is no change.
  IF EXISTS (SELECT 1 FROM changed) THEN
    UPDATE data_versions SET v = v + 1 WHERE slot = pg_backend_pid() % 8;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER transcriptions_version_insert AFTER INSERT ON transcriptions REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION hark_bump_data_version();
CREATE TRIGGER transcriptions_version_update AFTER UPDATE ON transcriptions REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION hark_bump_data_version();
CREATE TRIGGER transcriptions_version_delete AFTER DELETE ON transcriptions REFERENCING OLD TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION hark_bump_data_version();

CREATE TRIGGER background_tasks_version_insert AFTER INSERT ON background_tasks REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION hark_bump_data_version();
CREATE TRIGGER background_tasks_version_update AFTER UPDATE ON background_tasks REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION hark_bump_data_version();
CREATE TRIGGER background_tasks_version_delete AFTER DELETE ON background_tasks REFERENCING OLD TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION hark_bump_data_version();

CREATE TRIGGER app_state_version_insert AFTER INSERT ON app_state REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION hark_bump_data_version();
CREATE TRIGGER app_state_version_update AFTER UPDATE ON app_state REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION hark_bump_data_version();
CREATE TRIGGER app_state_version_delete AFTER DELETE ON app_state REFERENCING OLD TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION hark_bump_data_version();
