import { existsSync, openAsBlob } from 'node:fs';
import { basename, resolve } from 'node:path';
import { InstanceLock, readInstanceInfo } from '../../app/instanceLock.js';
import { BadRequest, FileMissing, HarkError } from '../../core/errors.js';
import type { TranscriptionJson } from '../../core/json.js';
import { RecordingStateHolder } from '../../core/recordingState.js';
import { ForegroundTranscriber } from '../../queue/foreground.js';
import { selectEngine } from '../../services/engines.js';
import { createLogger } from '../../services/log.js';
import { openServices } from '../../services/services.js';
import { transcribeNow } from '../../services/transcribeNow.js';
import type { Command, CommandContext } from '../command.js';
import { appAuthHeaders } from '../runningApp.js';

interface Outcome {
  audio_path: string;
  transcription: Pick<TranscriptionJson, 'transcription_text' | 'status'>;
  queued_task_id: number | null;
  error: string | null;
}

/**
 * The running app reads only its own notes folder by path: a file from
 * anywhere else is sent to it instead (saved under imports/, as this
 * process's own copy would be).
 */
async function askRunningApp(url: string, file: string, dataDir: string): Promise<Outcome> {
  const auth = appAuthHeaders(dataDir);
  let response = await fetch(`${url}/api/transcribe-now`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth },
    body: JSON.stringify({ path: file }),
  });
  if (response.status === 403) {
    if (!existsSync(file)) throw new FileMissing(file);
    const form = new FormData();
    form.append('file', await openAsBlob(file), basename(file));
    response = await fetch(`${url}/api/transcribe-now/upload`, {
      method: 'POST',
      headers: auth,
      body: form,
    });
  }
  const body = (await response.json()) as Outcome & { error?: string; message?: string };
  if (!response.ok)
    throw new HarkError((body.error as HarkError['kind']) ?? 'internal', body.message ?? 'failed');
  return body;
}

/**
 * The running app does it when there is one: it has the engine, its model
 * loaded, and its worker to pre-empt. Otherwise this process does it.
 */
async function run(ctx: CommandContext, file: string): Promise<Outcome> {
  const config = ctx.config();
  let lock: InstanceLock;
  try {
    lock = InstanceLock.acquire(config.dataDir);
  } catch (error) {
    if (!(error instanceof HarkError) || error.kind !== 'already_running') throw error;
    const url = readInstanceInfo(config.dataDir)?.url;
    if (!url)
      throw new HarkError(
        'already_running',
        'Hark is running without its web server; stop it, then try again',
      );
    return askRunningApp(url, file, config.dataDir);
  }
  const log = createLogger();
  const services = openServices(config, { log });
  try {
    const { engine, reason } = await selectEngine(config, log);
    if (!engine) throw new HarkError('engine_unavailable', `No transcription engine: ${reason}`);
    try {
      const foreground = new ForegroundTranscriber({
        ...services,
        recording: new RecordingStateHolder(),
        engine,
        worker: null,
        writeSidecars: config.writeSidecars,
        sidecarFormat: config.sidecarFormat,
        log,
      });
      const result = await transcribeNow(services, foreground, file);
      return {
        audio_path: result.audioPath,
        transcription: { transcription_text: result.transcription.text, status: result.transcription.status },
        queued_task_id: result.queuedTaskId,
        error: result.error,
      };
    } finally {
      await engine.dispose();
    }
  } finally {
    await services.close();
    lock.release();
  }
}

export const transcribeNowCommand: Command = {
  name: 'transcribe-now',
  summary: 'Transcribe a file in the foreground, ahead of all background work, and keep it in the main list.',
  usage: 'hark transcribe-now <file> [--json]',
  options: { json: { type: 'boolean' } },
  async run(ctx) {
    const file = ctx.positionals[0];
    if (!file) throw new BadRequest(`usage: ${transcribeNowCommand.usage}`);
    const outcome = await run(ctx, resolve(file));
    if (ctx.values.json) {
      ctx.out(JSON.stringify(outcome, null, 2));
    } else if (outcome.error) {
      process.stderr.write(
        `hark: transcribing now failed (${outcome.error}); it is first in the background queue\n`,
      );
      return 1;
    } else {
      ctx.out(outcome.transcription.transcription_text || '(no speech)');
    }
    return outcome.error ? 1 : 0;
  },
};
