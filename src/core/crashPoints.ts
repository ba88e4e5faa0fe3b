/**
 * Named places where a test can make Hark die on purpose, as a power cut or
 * `kill -9` would: HARK_CRASH_AT=<point>[:<n>] kills this process with
 * SIGKILL the n-th time (default first) it passes that point. The crash soak
 * uses them to stop Hark at exactly the moments that matter (mid-claim,
 * mid-chunk, mid-commit, mid-scan, mid-upload) besides at random ones.
 * Unset, each point costs one comparison.
 */
export const CRASH_POINTS = ['claim', 'chunk', 'commit', 'scan', 'upload'] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

const wanted = parse(process.env.HARK_CRASH_AT);
let passes = 0;

function parse(value: string | undefined): { point: string; n: number } | null {
  if (!value) return null;
  const [point = '', n = '1'] = value.split(':');
  return { point, n: Math.max(1, Number(n) || 1) };
}

export function crashPoint(point: CrashPoint): void {
  if (wanted === null || wanted.point !== point) return;
  passes++;
  if (passes === wanted.n) process.kill(process.pid, 'SIGKILL');
}
