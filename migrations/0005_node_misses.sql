-- Several nodes (PostgreSQL) may share one queue, each with its own mount of the notes folder.
-- A node that cannot find a task's file gives it back for another; the misses are counted here
-- so that a file no node has fails after a few (core/missRule.ts). SQLite keeps the column so
-- both stores have the same tables; a single machine never writes it.
ALTER TABLE background_tasks ADD COLUMN miss_count INTEGER NOT NULL DEFAULT 0;
