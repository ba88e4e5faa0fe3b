import { fileURLToPath } from 'node:url';
import { CLI } from '../helpers/processes.js';

export type NodeRole = 'main' | 'worker';

/** The stand-in for the nodes lane's commands (tests/soak/pgNode.ts). */
const ADAPTER = fileURLToPath(new URL('./pgNode.ts', import.meta.url));

/**
 * Until `hark start --store URL` and `hark worker` land (issue 10, nodes lane), the soak's nodes
 * run through the stand-in; once they have, set this to true and the soak runs the real CLI.
 */
const REAL_COMMANDS = false;

/** The script and arguments that start one node of a multi-node soak. */
export function nodeCommand(
  role: NodeRole,
  options: { store: string; notes: string; data: string; engine: string },
): { script: string; args: string[] } {
  const common = ['--store', options.store, '--notes', options.notes, '--data', options.data];
  if (!REAL_COMMANDS)
    return { script: ADAPTER, args: ['--role', role, ...common, '--engine', options.engine] };
  return role === 'main'
    ? { script: CLI, args: ['start', '--port', '0', '--engine', options.engine, ...common] }
    : { script: CLI, args: ['worker', '--engine', options.engine, ...common] };
}
