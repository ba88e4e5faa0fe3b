-- Leases (issue 10), as SQLite's 0004: a processing task belongs to its worker only until
-- lease_expires_at (epoch ms), renewed by its progress saves and a heartbeat; once it lapses any
-- node reclaims it (reclaimExpired, FOR UPDATE SKIP LOCKED), by core's afterCrash rule.
ALTER TABLE background_tasks ADD COLUMN lease_expires_at bigint;
ALTER TABLE background_tasks ADD COLUMN lease_ms bigint NOT NULL DEFAULT 60000;
UPDATE background_tasks SET lease_expires_at = coalesce(locked_at, started_at, 0) + lease_ms
  WHERE status = 'processing';
CREATE INDEX background_tasks_lease ON background_tasks (lease_expires_at) WHERE status = 'processing';

-- Wake-ups without polling: every statement that changes Hark's tables also tells the channel
-- hark_changes, from the trigger that already moves the data version, so the notification is
-- part of the writer's transaction (sent at its commit, never for a rollback) and no call site
-- can forget it. The payload is the table's name; PostgreSQL folds a transaction's identical
-- notifications into one. A statement that changed no row (an empty claim) notifies no one, or
-- idle workers would wake each other for ever.
CREATE OR REPLACE FUNCTION hark_bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM changed) THEN
    UPDATE data_versions SET v = v + 1 WHERE slot = pg_backend_pid() % 8;
    PERFORM pg_notify('hark_changes', TG_TABLE_NAME);
  END IF;
  RETURN NULL;
END $$;
