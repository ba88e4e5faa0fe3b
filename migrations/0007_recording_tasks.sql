-- Recordings made in Hark keep a task kind of their own through the queue (issue 11):
-- 'transcribe_recording', where they used to be queued as 'transcribe_orphan' because this
-- CHECK listed only two kinds. SQLite cannot change a CHECK in place, so the table is rebuilt by
-- its documented procedure (https://www.sqlite.org/lang_altertable.html#otheralter): new table,
-- copy, drop, rename, then the indexes and triggers again. The migrator runs this with foreign
-- keys off (dropping the old table would otherwise cascade to task_chunks) inside its one
-- transaction, and runs PRAGMA foreign_key_check before it commits (src/db/migrate.ts).
-- The copy gives the tasks of existing recordings their kind; every other column is copied as is.

CREATE TABLE background_tasks_new (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  transcription_id TEXT NOT NULL REFERENCES transcriptions (id) ON DELETE CASCADE,
  task_type TEXT NOT NULL
    CHECK (task_type IN ('transcribe_orphan', 'transcribe_imported', 'transcribe_recording')),
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
  checkpoint_chunks_at_claim INTEGER NOT NULL DEFAULT 0,
  -- 0002: a death in the engine's child while hearing a window is forgiven (recoverAbandoned).
  in_engine_child INTEGER NOT NULL DEFAULT 0,
  forgiven_crashes INTEGER NOT NULL DEFAULT 0,
  -- 0004: the lease's end, and the length the holder claimed with.
  lease_expires_at INTEGER,
  lease_ms INTEGER NOT NULL DEFAULT 60000,
  -- 0005: nodes that could not find the file.
  miss_count INTEGER NOT NULL DEFAULT 0
) STRICT;

INSERT INTO background_tasks_new (
  id, transcription_id, task_type, priority, status, payload, progress, attempts, max_retries,
  preempted_count, error_message, error_kind, order_key, created_at, available_at, started_at,
  completed_at, locked_by, locked_at, checkpoint_seconds, checkpoint_chunks,
  checkpoint_chunks_at_claim, in_engine_child, forgiven_crashes, lease_expires_at, lease_ms, miss_count
)
SELECT
  bt.id, bt.transcription_id,
  CASE WHEN t.source = 'recording' THEN 'transcribe_recording' ELSE bt.task_type END,
  bt.priority, bt.status, bt.payload, bt.progress, bt.attempts, bt.max_retries,
  bt.preempted_count, bt.error_message, bt.error_kind, bt.order_key, bt.created_at, bt.available_at,
  bt.started_at, bt.completed_at, bt.locked_by, bt.locked_at, bt.checkpoint_seconds, bt.checkpoint_chunks,
  bt.checkpoint_chunks_at_claim, bt.in_engine_child, bt.forgiven_crashes, bt.lease_expires_at, bt.lease_ms,
  bt.miss_count
FROM background_tasks AS bt LEFT JOIN transcriptions AS t ON t.id = bt.transcription_id;

-- Task ids are never reused, even those of tasks retention pruned (task_attempts outlives them
-- and keys its history by task id): the new table takes over the old one's AUTOINCREMENT counter.
DELETE FROM sqlite_sequence WHERE name = 'background_tasks_new';
INSERT INTO sqlite_sequence (name, seq)
  SELECT 'background_tasks_new', seq FROM sqlite_sequence WHERE name = 'background_tasks';

-- Dropping fires no triggers, so task_counts is left as it is (and the copy above fired none).
DROP TABLE background_tasks;
ALTER TABLE background_tasks_new RENAME TO background_tasks;

-- The indexes of 0001 and 0004, as they were.
CREATE UNIQUE INDEX background_tasks_one_live_per_transcription
  ON background_tasks (transcription_id) WHERE status IN ('pending', 'processing');
CREATE INDEX background_tasks_claim_order
  ON background_tasks (priority DESC, order_key, id) WHERE status = 'pending';
CREATE INDEX background_tasks_processing ON background_tasks (started_at) WHERE status = 'processing';
CREATE INDEX background_tasks_finished ON background_tasks (status, completed_at DESC, id DESC)
  WHERE completed_at IS NOT NULL;
CREATE INDEX background_tasks_lease ON background_tasks (lease_expires_at) WHERE status = 'processing';

-- The count triggers of 0001, as they were.
CREATE TRIGGER background_tasks_count_insert AFTER INSERT ON background_tasks BEGIN
  UPDATE task_counts SET n = n + 1 WHERE status = NEW.status;
END;
CREATE TRIGGER background_tasks_count_delete AFTER DELETE ON background_tasks BEGIN
  UPDATE task_counts SET n = n - 1 WHERE status = OLD.status;
END;
CREATE TRIGGER background_tasks_count_update AFTER UPDATE OF status ON background_tasks
  WHEN OLD.status <> NEW.status BEGIN
  UPDATE task_counts SET n = n + (status = NEW.status) - (status = OLD.status)
  WHERE status IN (OLD.status, NEW.status);
END;
