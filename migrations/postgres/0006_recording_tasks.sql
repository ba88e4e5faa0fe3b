-- Recordings made in Hark keep a task kind of their own through the queue (issue 11):
-- 'transcribe_recording', where they used to be queued as 'transcribe_orphan' because this CHECK
-- listed only two kinds. PostgreSQL changes a CHECK in place (SQLite's 0007 rebuilds the table).
-- The name is the one PostgreSQL gave 0001's column constraint.
ALTER TABLE background_tasks DROP CONSTRAINT background_tasks_task_type_check;
ALTER TABLE background_tasks ADD CONSTRAINT background_tasks_task_type_check
  CHECK (task_type IN ('transcribe_orphan', 'transcribe_imported', 'transcribe_recording'));

-- The tasks of existing recordings get their kind.
UPDATE background_tasks AS bt SET task_type = 'transcribe_recording'
  FROM transcriptions AS t
  WHERE t.id = bt.transcription_id AND t.source = 'recording' AND bt.task_type <> 'transcribe_recording';
