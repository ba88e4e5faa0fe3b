-- A node that cannot find a task's file on its notes folder gives it back for another node;
-- the misses by any nodes are counted here, and past a few the task fails (core/missRule.ts).
ALTER TABLE background_tasks ADD COLUMN miss_count integer NOT NULL DEFAULT 0;
