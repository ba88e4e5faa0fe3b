import type { RecordingState } from './types.js';

/**
 * Cross-node pre-emption (issue 10): a recording on the main node stops background work on the
 * nodes that would slow it down. By default those on the same machine (they share its CPU);
 * `all` stops every node. The recording state is shared through the database (app_state key
 * RECORDING_KEY; not `recording_state`, the recording flow's own crash record), written by the node that records and read by the others on every change.
 */
export const PREEMPT_SCOPES = ['machine', 'all'] as const;
export type PreemptScope = (typeof PREEMPT_SCOPES)[number];
export const DEFAULT_PREEMPT_SCOPE: PreemptScope = 'machine';

/** The app_state keys: the shared recording state, and the saved scope (when no flag gives one). */
export const RECORDING_KEY = 'shared_recording';
export const PREEMPT_SCOPE_KEY = 'preempt_scope';

export interface SharedRecording {
  state: RecordingState;
  /** The node recording (its worker id), and its host name. */
  node: string;
  host: string;
  since: number;
  /**
   * When the record lapses (epoch ms) unless the recording node renews it; null while Idle, or
   * written by a Hark before leases. A main node that dies mid-recording and is not restarted
   * thus holds the other nodes back for one lease at most, not for good.
   */
  expiresAt: number | null;
}

export interface NodeIdentity {
  node: string;
  host: string;
}

export function encodeSharedRecording(recording: SharedRecording): string {
  return JSON.stringify(recording);
}

/** The stored value, or null when absent or not one Hark wrote. */
export function parseSharedRecording(value: string | null): SharedRecording | null {
  if (!value) return null;
  try {
    const parsed = JSON.parse(value) as Partial<SharedRecording>;
    if (
      typeof parsed.state !== 'string' ||
      typeof parsed.node !== 'string' ||
      typeof parsed.host !== 'string'
    )
      return null;
    return {
      state: parsed.state as RecordingState,
      node: parsed.node,
      host: parsed.host,
      since: typeof parsed.since === 'number' ? parsed.since : 0,
      expiresAt: typeof parsed.expiresAt === 'number' ? parsed.expiresAt : null,
    };
  } catch {
    return null;
  }
}

/** The scope in force: the flag's, else the saved setting's (when valid), else the default. */
export function effectivePreemptScope(flag: PreemptScope | null, saved: string | null): PreemptScope {
  if (flag) return flag;
  return PREEMPT_SCOPES.includes(saved as PreemptScope) ? (saved as PreemptScope) : DEFAULT_PREEMPT_SCOPE;
}

/** The shared record a node writes for its recording state: busy states lapse after one lease. */
export function sharedRecordingFor(
  state: RecordingState,
  self: NodeIdentity,
  now: number,
  leaseMs: number,
): SharedRecording {
  return {
    state,
    node: self.node,
    host: self.host,
    since: now,
    expiresAt: state === 'Idle' ? null : now + leaseMs,
  };
}

/**
 * Whether this node's background work must yield to the shared recording: someone is
 * recording (or transcribing in the foreground) on another node, within the scope, and that
 * node has renewed its record within a lease. The recording node's own worker yields through
 * its local recording state instead.
 */
export function yieldsToRecording(
  recording: SharedRecording | null,
  self: NodeIdentity,
  scope: PreemptScope,
  now: number,
): boolean {
  if (!recording || recording.state === 'Idle' || recording.node === self.node) return false;
  if (recording.expiresAt !== null && now >= recording.expiresAt) return false;
  return scope === 'all' || recording.host === self.host;
}
