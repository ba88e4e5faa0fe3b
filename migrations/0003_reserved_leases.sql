-- Number 0003 belongs to the leases lane's migration (issue 10). This placeholder only keeps the
-- numbers without a gap on the notes branch: at the merge it is replaced by the leases migration.
SELECT 1;
