-- Leases (issue 10): a task being processed belongs to its worker only until lease_expires_at
-- (epoch ms). The worker renews it with every progress save and a heartbeat; once it lapses, any
-- node may reclaim the task (reclaimExpired), by the same crash-forgiveness rule as start-up
-- recovery. A single machine on SQLite still recovers at start; the lease is written there too.

-- When the holder's lease runs out; NULL unless the task is processing.
ALTER TABLE background_tasks ADD COLUMN lease_expires_at INTEGER;
-- The lease length the holder claimed with: progress saves renew the lease by this much.
ALTER TABLE background_tasks ADD COLUMN lease_ms INTEGER NOT NULL DEFAULT 60000;
-- A task a Hark without leases left processing gets a lease from its last sign of life.
UPDATE background_tasks SET lease_expires_at = coalesce(locked_at, started_at, 0) + lease_ms
  WHERE status = 'processing';
CREATE INDEX background_tasks_lease ON background_tasks (lease_expires_at) WHERE status = 'processing';
