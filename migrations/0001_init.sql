-- Hark's first schema. Migrations are append-only: never edit a released file,
-- add the next number instead. Times are epoch milliseconds; paths are relative
-- to the notes folder with '/' separators.

CREATE TABLE transcriptions (
  -- An integer key of its own keeps rowids stable (VACUUM renumbers implicit
  -- ones), so the full-text index below can point at rows by rowid.
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  audio_path TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'complete', 'no_speech', 'failed')),
  source TEXT NOT NULL CHECK (source IN ('recording', 'orphan', 'imported')),
  original_name TEXT,
  transcription_text TEXT,
  segments TEXT,                 -- JSON: [{"start":s,"end":s,"text":"..."}]
  language TEXT,
  duration REAL,                 -- seconds
  engine TEXT,
  error_kind TEXT,
  error_message TEXT,
  file_size INTEGER,             -- size and mtime when queued: tells a replaced file apart
  file_mtime_ms INTEGER,
  sidecar_path TEXT,
  sidecar_state TEXT CHECK (sidecar_state IN ('pending', 'written', 'adopted', 'kept_existing')),
  -- 1 when the full-text index does not reflect this row yet: it is brought up to date in
  -- batches (one FTS segment per batch instead of one per finished task).
  search_stale INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  recorded_at INTEGER NOT NULL,
  transcribed_at INTEGER
) STRICT;

-- The main list: recordings and finished transcriptions, newest first.
CREATE INDEX transcriptions_main_list ON transcriptions (recorded_at DESC, seq DESC)
  WHERE source = 'recording' OR status IN ('complete', 'no_speech');
CREATE INDEX transcriptions_pending_sidecars ON transcriptions (sidecar_state) WHERE sidecar_state = 'pending';
CREATE INDEX transcriptions_search_stale ON transcriptions (seq) WHERE search_stale = 1;

CREATE TABLE background_tasks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  transcription_id TEXT NOT NULL REFERENCES transcriptions (id) ON DELETE CASCADE,
  task_type TEXT NOT NULL CHECK (task_type IN ('transcribe_orphan', 'transcribe_imported')),
  priority INTEGER NOT NULL DEFAULT 0 CHECK (priority BETWEEN 0 AND 2),
  status TEXT NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'processing', 'completed', 'failed', 'cancelled')),
  payload TEXT NOT NULL DEFAULT '{}',
  progress REAL NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 1),
  attempts INTEGER NOT NULL DEFAULT 0,       -- counted at claim; retry_count = attempts - 1
  max_retries INTEGER NOT NULL DEFAULT 2,
  preempted_count INTEGER NOT NULL DEFAULT 0,
  error_message TEXT,
  error_kind TEXT,
  -- Claim order within a priority. Starts as created_at; move-to-front and
  -- pre-emption set it below every other pending task's.
  order_key INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  available_at INTEGER NOT NULL,             -- backoff: not claimed before this
  started_at INTEGER,
  completed_at INTEGER,
  -- The lease: which worker holds the task and since when.
  locked_by TEXT,
  locked_at INTEGER,
  -- The checkpoint: seconds of audio committed, and how many chunks that took.
  checkpoint_seconds REAL NOT NULL DEFAULT 0,
  checkpoint_chunks INTEGER NOT NULL DEFAULT 0,
  -- The checkpoint position when the current attempt was claimed: an attempt
  -- that moved it forward before a crash is not blamed for the crash.
  checkpoint_chunks_at_claim INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Nothing is ever queued twice: at most one live task per transcription.
CREATE UNIQUE INDEX background_tasks_one_live_per_transcription
  ON background_tasks (transcription_id) WHERE status IN ('pending', 'processing');
-- The claim: next pending task by priority, then queue order.
CREATE INDEX background_tasks_claim_order
  ON background_tasks (priority DESC, order_key, id) WHERE status = 'pending';
-- The running task(s): found at start-up recovery and for the status display.
CREATE INDEX background_tasks_processing ON background_tasks (started_at) WHERE status = 'processing';
-- Finished tasks by status, newest first. Only finished tasks have completed_at, so a claim
-- (pending to processing) never touches this index.
CREATE INDEX background_tasks_finished ON background_tasks (status, completed_at DESC, id DESC)
  WHERE completed_at IS NOT NULL;

-- Finished chunks of a task: its checkpoints. Dropped with the task.
CREATE TABLE task_chunks (
  task_id INTEGER NOT NULL REFERENCES background_tasks (id) ON DELETE CASCADE,
  chunk_index INTEGER NOT NULL,
  start_sec REAL NOT NULL,
  end_sec REAL NOT NULL,
  segments TEXT NOT NULL,        -- JSON, times from the start of the file
  PRIMARY KEY (task_id, chunk_index)
) STRICT;

-- Counts kept by triggers, so the queue status costs a handful of row reads
-- whatever the number of tasks.
CREATE TABLE task_counts (
  status TEXT PRIMARY KEY,
  n INTEGER NOT NULL DEFAULT 0
) STRICT;
INSERT INTO task_counts (status, n) VALUES
  ('pending', 0), ('processing', 0), ('completed', 0), ('failed', 0), ('cancelled', 0);

CREATE TRIGGER background_tasks_count_insert AFTER INSERT ON background_tasks BEGIN
  UPDATE task_counts SET n = n + 1 WHERE status = NEW.status;
END;
CREATE TRIGGER background_tasks_count_delete AFTER DELETE ON background_tasks BEGIN
  UPDATE task_counts SET n = n - 1 WHERE status = OLD.status;
END;
-- One statement for both rows: every claim and completion runs this.
CREATE TRIGGER background_tasks_count_update AFTER UPDATE OF status ON background_tasks
  WHEN OLD.status <> NEW.status BEGIN
  UPDATE task_counts SET n = n + (status = NEW.status) - (status = OLD.status)
  WHERE status IN (OLD.status, NEW.status);
END;

-- Small persistent settings: queue_paused, pause_reason, paused_at, recording_state ...
CREATE TABLE app_state (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;

-- Full-text search over transcripts and file names of the main list, keyed by
-- transcriptions.seq. Kept up to date in batches from rows marked search_stale
-- (src/db/queries/searchIndex.ts), before every search; deletions go at once.
CREATE VIRTUAL TABLE transcriptions_fts USING fts5 (
  transcription_text, name, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER transcriptions_fts_delete AFTER DELETE ON transcriptions BEGIN
  DELETE FROM transcriptions_fts WHERE rowid = OLD.seq;
END;
