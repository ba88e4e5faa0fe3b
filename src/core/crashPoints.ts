import { BadRequest } from './errors.js';

/**
 * Named places where a test can make Hark die on purpose, as a power cut or
 * `kill -9` would. The crash soak uses them to stop Hark at exactly the
 * moments that matter (mid-claim, mid-chunk, mid-commit, mid-scan,
 * mid-upload) besides at random ones.
 *
 * This is the one switchboard for fault injection. Core reads no environment:
 * the configuration reads the test switch HARK_CRASH_AT=<point>[:<n>]
 * (HarkConfig.crashAt) and the process that owns the configuration arms the
 * switch with armCrashPoint, handing in how to die. Unarmed, each point costs
 * one comparison.
 */
export const CRASH_POINTS = ['claim', 'chunk', 'commit', 'scan', 'upload'] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

/** Die the n-th time (from 1) the process passes `point`. */
export interface CrashPlan {
  point: CrashPoint;
  n: number;
}

let armed: { plan: CrashPlan; die: () => void } | null = null;
let passes = 0;

/** Reads `<point>[:<n>]` (null when unset); a misspelt point is refused rather than never firing. */
export function parseCrashPlan(value: string | undefined): CrashPlan | null {
  if (!value) return null;
  const [point = '', n = '1'] = value.split(':');
  if (!(CRASH_POINTS as readonly string[]).includes(point)) {
    throw new BadRequest(
      `HARK_CRASH_AT names no crash point (got "${point}"; one of ${CRASH_POINTS.join(', ')})`,
    );
  }
  return { point: point as CrashPoint, n: Math.max(1, Number(n) || 1) };
}

/** Arms (or, with null, disarms) the crash points for this process and starts counting afresh. */
export function armCrashPoint(plan: CrashPlan | null, die: () => void): void {
  armed = plan ? { plan, die } : null;
  passes = 0;
}

export function crashPoint(point: CrashPoint): void {
  if (armed === null || armed.plan.point !== point) return;
  passes++;
  if (passes === armed.plan.n) armed.die();
}
