import { spawn } from 'node:child_process';
import { readInstanceInfo } from '../../app/instanceLock.js';
import { HarkError } from '../../core/errors.js';
import type { Command } from '../command.js';
import { appAuthHeaders } from '../runningApp.js';

interface CodeAnswer {
  code: string | null;
  url: string;
  error?: string;
  message?: string;
}

/**
 * Asks the running app for a fresh login link: the app keeps its codes in
 * memory, so this works while `hark start` runs in another terminal. The
 * secret travels in a header to the app on this machine, never in the link.
 */
async function freshLink(dataDir: string): Promise<string> {
  const url = readInstanceInfo(dataDir)?.url;
  if (!url)
    throw new HarkError('invalid_state', `Hark is not running on ${dataDir}: start it with \`hark start\``);
  let response: Response;
  try {
    response = await fetch(`${url}/api/auth/codes`, { method: 'POST', headers: appAuthHeaders(dataDir) });
  } catch {
    throw new HarkError('invalid_state', `Hark is not answering at ${url}: is it still running?`);
  }
  const body = (await response.json().catch(() => ({}))) as Partial<CodeAnswer>;
  if (!response.ok || typeof body.url !== 'string')
    throw new HarkError(
      (body.error as HarkError['kind'] | undefined) ?? 'internal',
      body.message ?? `Hark answered ${response.status}`,
    );
  return body.url;
}

/** xdg-open, when there is one and a desktop to open on; a missing one is no error (the link is printed). */
function openInBrowser(link: string): void {
  if (process.platform !== 'linux' && process.platform !== 'darwin') return;
  const opener = process.platform === 'darwin' ? 'open' : 'xdg-open';
  try {
    const child = spawn(opener, [link], { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // Not installed: the printed link is enough.
  }
}

export const openCommand: Command = {
  name: 'open',
  summary: 'Open Hark in the browser, signed in: prints a fresh one-time login link (valid 10 minutes).',
  usage: 'hark open [--no-browser]',
  options: { 'no-browser': { type: 'boolean' } },
  async run(ctx) {
    const link = await freshLink(ctx.config().dataDir);
    ctx.out(link);
    if (!ctx.values['no-browser']) openInBrowser(link);
    return 0;
  },
};
