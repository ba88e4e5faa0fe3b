/**
 * Runs once before the test workers start. As root, it builds the copy that children running as
 * `nobody` use (tests/helpers/nobodyKit.ts) and proves that nobody can run from it, so that a
 * clone in a private folder (mode 0700, such as root's home) fails here, with the reason, rather
 * than in two permission tests with `Cannot find package 'tsx'`.
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { TestProject } from 'vitest/node';
import { buildNobodyKit, NOBODY, probeNobodyKit } from './nobodyKit.js';

// Both projects inherit this file; vitest may call it once per project. One copy serves them all.
const shared = globalThis as { harkNobodyKit?: Promise<string> };

async function nobodyKit(): Promise<string> {
  const kit = buildNobodyKit();
  const probe = await probeNobodyKit(kit);
  if (probe.code !== 0) {
    rmSync(kit, { recursive: true, force: true });
    throw new Error(
      [
        `The suite runs as root, so the permission tests run a child as nobody (uid ${NOBODY}).`,
        `Such a child runs from a world-readable copy of this clone in ${tmpdir()},`,
        `but nobody could not run a scan from it (exit code ${probe.code}, signal ${probe.signal}):`,
        probe.stderr.trim(),
        `Check that nobody may enter ${tmpdir()} (TMPDIR) and that uid ${NOBODY} exists, or run the suite as another user.`,
      ].join('\n'),
    );
  }
  return kit;
}

export default async function setup(project: TestProject) {
  if (process.getuid?.() !== 0) {
    project.provide('nobodyKit', '');
    return;
  }
  shared.harkNobodyKit ??= nobodyKit();
  const kit = await shared.harkNobodyKit;
  project.provide('nobodyKit', kit);
  return () => {
    rmSync(kit, { recursive: true, force: true });
  };
}
