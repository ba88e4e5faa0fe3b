/**
 * A node's id: which machine, which process, started when. It is the `workerId` a claim writes
 * as `locked_by`, so a task's row says who runs it; the start time tells a restarted process
 * apart from an earlier one that had the same pid.
 */
export function nodeId(host: string, pid: number, startedAt: number): string {
  return `${host}:${pid}:${new Date(startedAt).toISOString()}`;
}

/** The id as a person reads it beside a running task: `host:pid` (the start time dropped). */
export function shortNodeName(id: string): string {
  const parts = id.split(':');
  return parts.length >= 3 ? `${parts[0]}:${parts[1]}` : id;
}
