-- Every attempt at a task, for the task's history in the UI and for the statistics: who ran it,
-- with which engine, when, and how it ended. No foreign key: the history (and the statistics
-- drawn from it) outlive the task rows that retention prunes.
CREATE TABLE task_attempts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  task_id bigint NOT NULL,
  transcription_id text NOT NULL,
  worker text NOT NULL,
  engine text,
  started_at bigint NOT NULL,
  ended_at bigint,
  -- null while running; 'lost' when its process died and the task was taken up again.
  outcome text CHECK (outcome IN ('completed', 'retrying', 'failed', 'preempted', 'interrupted', 'cancelled', 'lost')),
  error_kind text,
  -- Seconds of audio this attempt got through (from its starting checkpoint to where it ended).
  audio_seconds double precision
);

CREATE INDEX task_attempts_by_task ON task_attempts (task_id, id);
CREATE INDEX task_attempts_by_start ON task_attempts (started_at);
