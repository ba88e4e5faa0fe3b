import { CLI } from '../helpers/processes.js';

export type NodeRole = 'main' | 'worker';

/** The script and arguments that start one node of a multi-node soak: the real CLI, `hark start` or `hark worker`. */
export function nodeCommand(
  role: NodeRole,
  options: { store: string; notes: string; data: string; engine: string; leaseSeconds: number },
): { script: string; args: string[] } {
  const common = [
    '--store',
    options.store,
    '--notes',
    options.notes,
    '--data',
    options.data,
    '--lease-seconds',
    String(options.leaseSeconds),
  ];
  return role === 'main'
    ? { script: CLI, args: ['start', '--port', '0', '--engine', options.engine, ...common] }
    : { script: CLI, args: ['worker', '--engine', options.engine, ...common] };
}
