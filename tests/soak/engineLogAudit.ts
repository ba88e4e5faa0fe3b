import type { EngineLogEntry } from '../helpers/engineLog.js';

/** A start line says whether the call commits checkpoints (the worker) or not (a recording in the foreground). */
export type AuditedEntry = EngineLogEntry & { checkpointed?: boolean };

export interface Attempt {
  pid: number;
  /** The last call this process started: if it did not finish and the process was killed, the kill cut it short. */
  lastOfProcess: boolean;
  startAt: number;
  checkpointed: boolean;
  chunks: { index: number; end: number }[];
  done: boolean;
}

export interface FileAudit {
  file: string;
  attempts: Attempt[];
  /** Attempts that ended without finishing: killed with their process, or aborted (pre-empted, stopped). */
  interrupted: number;
  /** Calls after a finished one that heard nothing new: the process had died after the last commit, before completing. */
  emptyReruns: number;
  violations: string[];
}

export interface LogAudit {
  files: Map<string, FileAudit>;
  violations: string[];
  /** Engine calls in all. */
  invocations: number;
  interrupted: number;
  /** Calls a kill cut short (see cutShortByKill). Each repeats at most the one window it was hearing. */
  interruptedByKill: number;
  emptyReruns: number;
}

const EPSILON = 1e-3;

/**
 * "Transcribed twice", defined from the engine log (a chunk line is written
 * only after its checkpoint commit, in calls that commit checkpoints):
 *
 * 1. A committed window is never heard again: no chunk index of a file is
 *    committed twice, and no call resumes before the end of a window already
 *    committed. So a kill repeats at most the window in flight, which was
 *    never committed.
 * 2. Nothing is heard again after a file is finished: once a call has
 *    finished a file (its `done` line) up to some point, no later call
 *    starts before that point, unless the finished call committed nothing
 *    and its process was killed before it could record the transcript (a
 *    recording in the foreground): then the file is heard again, once.
 *
 * A call after the last commit that hears nothing (the process died inside
 * the final commit) is no repetition: it is counted as an empty re-run.
 */
export function auditEngineLog(entries: readonly AuditedEntry[], killedPids: ReadonlySet<number>): LogAudit {
  const byFile = new Map<string, FileAudit>();
  const open = new Map<string, Attempt>(); // `${pid} ${file}` → the call in progress
  const lastByPid = new Map<number, Attempt>();
  for (const entry of entries) {
    let audit = byFile.get(entry.file);
    if (!audit) {
      audit = { file: entry.file, attempts: [], interrupted: 0, emptyReruns: 0, violations: [] };
      byFile.set(entry.file, audit);
    }
    const key = `${entry.pid} ${entry.file}`;
    if (entry.event === 'start') {
      const previous = lastByPid.get(entry.pid);
      if (previous) previous.lastOfProcess = false;
      const attempt: Attempt = {
        pid: entry.pid,
        lastOfProcess: true,
        startAt: entry.startAt ?? 0,
        checkpointed: entry.checkpointed ?? true,
        chunks: [],
        done: false,
      };
      audit.attempts.push(attempt);
      open.set(key, attempt);
      lastByPid.set(entry.pid, attempt);
      continue;
    }
    const attempt = open.get(key);
    if (!attempt) {
      audit.violations.push(`a ${entry.event} line of pid ${entry.pid} with no call started`);
      continue;
    }
    if (entry.event === 'chunk') attempt.chunks.push({ index: entry.index ?? -1, end: entry.end ?? 0 });
    else {
      attempt.done = true;
      open.delete(key);
    }
  }
  for (const audit of byFile.values()) checkFile(audit, killedPids);
  const audits = [...byFile.values()];
  const sum = (f: (a: FileAudit) => number) => audits.reduce((total, a) => total + f(a), 0);
  return {
    files: byFile,
    violations: audits.flatMap((a) => a.violations.map((v) => `${a.file}: ${v}`)),
    invocations: sum((a) => a.attempts.length),
    interrupted: sum((a) => a.interrupted),
    interruptedByKill: sum((a) => a.attempts.filter((attempt) => cutShortByKill(attempt, killedPids)).length),
    emptyReruns: sum((a) => a.emptyReruns),
  };
}

/** The call a kill cut short: its process's last, unfinished (earlier unfinished ones were aborted or failed). */
export function cutShortByKill(attempt: Attempt, killedPids: ReadonlySet<number>): boolean {
  return !attempt.done && attempt.lastOfProcess && killedPids.has(attempt.pid);
}

function checkFile(audit: FileAudit, killedPids: ReadonlySet<number>): void {
  const committed = new Set<number>();
  let committedEnd = 0;
  let finished: { by: Attempt; upTo: number } | null = null;
  for (const attempt of audit.attempts) {
    if (!attempt.done) audit.interrupted++;
    if (finished) {
      const forgiven = !finished.by.checkpointed && killedPids.has(finished.by.pid);
      if (!forgiven && attempt.startAt + EPSILON < finished.upTo) {
        audit.violations.push(
          `heard again from ${attempt.startAt} s (pid ${attempt.pid}) after pid ${finished.by.pid} had finished it up to ${finished.upTo} s`,
        );
      }
      if (attempt.done && attempt.chunks.length === 0) audit.emptyReruns++;
      if (forgiven) finished = null; // the foreground's transcript died with its process: heard once more
    }
    if (attempt.checkpointed) {
      if (attempt.startAt + EPSILON < committedEnd) {
        audit.violations.push(
          `pid ${attempt.pid} resumed at ${attempt.startAt} s, before the committed end ${committedEnd} s`,
        );
      }
      for (const chunk of attempt.chunks) {
        if (committed.has(chunk.index)) audit.violations.push(`window ${chunk.index} committed twice`);
        committed.add(chunk.index);
        committedEnd = Math.max(committedEnd, chunk.end);
      }
    }
    if (attempt.done && finished === null) {
      finished = { by: attempt, upTo: Math.max(attempt.startAt, ...attempt.chunks.map((c) => c.end)) };
    }
  }
}
