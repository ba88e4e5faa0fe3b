import { afterEach, expect } from 'vitest';
import { killLeaked, leakedProcesses } from './processes.js';

/** A test that leaves a child process running fails (and the process is killed). */
afterEach(() => {
  const leaked = leakedProcesses().map((child) => `${child.pid} ${child.spawnargs.join(' ')}`);
  killLeaked();
  expect(leaked, 'child processes left running by this test').toEqual([]);
});
