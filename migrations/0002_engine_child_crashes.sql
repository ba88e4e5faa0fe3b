-- A death of Hark while the engine's child process was hearing a window is not the file's doing:
-- the file is only ever read by that child (ffmpeg, pocketsphinx, the whisper host), which cannot
-- take Hark down with it. Start-up recovery gives such an attempt back instead of counting it
-- towards the poison-pill rule (src/db/queries/recoverAbandoned.ts), a bounded number of times.

-- 1 while the running attempt's engine child is hearing a window; cleared around it and at claim.
ALTER TABLE background_tasks ADD COLUMN in_engine_child INTEGER NOT NULL DEFAULT 0;
-- How many deaths in the engine child this task has been forgiven.
ALTER TABLE background_tasks ADD COLUMN forgiven_crashes INTEGER NOT NULL DEFAULT 0;
