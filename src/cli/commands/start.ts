import { HarkApp } from '../../app/harkApp.js';
import { displayName } from '../../core/json.js';
import type { Log } from '../../core/log.js';
import type { Task } from '../../core/types.js';
import { createLogger } from '../../services/log.js';
import type { Command } from '../command.js';
import { logLanLines } from '../lanLines.js';
import { formatSeconds } from '../output.js';
import { bar, ProgressLine } from '../progressBar.js';
import { finishedTaskLine } from '../taskLines.js';

export const startCommand: Command = {
  name: 'start',
  summary:
    'Run Hark: recover from any crash, scan the notes folder, watch it, and transcribe in the background.',
  usage:
    'hark start [--port N] [--host H] [--lan [--lan-address A]] [--exit-when-idle] [--no-watch] [--no-serve] [--no-auth]',
  options: {
    'no-auth': { type: 'boolean' },
    'exit-when-idle': { type: 'boolean' },
    'no-watch': { type: 'boolean' },
    'no-serve': { type: 'boolean' },
  },
  async run(ctx) {
    const line = new ProgressLine();
    const log = createLogger({ beforeWrite: () => line.clear() });
    const once = Boolean(ctx.values['exit-when-idle']);
    const app = await HarkApp.start(ctx.config(), {
      log,
      pullModel: true,
      onPullProgress: (bytes, total) =>
        line.update(
          `${bar(bytes / total)} ${Math.round((100 * bytes) / total)}% of ${Math.round(total / 2 ** 20)} MB`,
        ),
      watch: !ctx.values['no-watch'] && !once,
      serve: !ctx.values['no-serve'] && !once,
      auth: !ctx.values['no-auth'],
    });
    const queue = app.queue;
    app.services.events.on('task-update', (task) => {
      if (task.status === 'processing') {
        const eta = queue.activeEtaSeconds();
        line.update(
          `${bar(task.progress)} ${Math.round(task.progress * 100)}% ${displayName(task.audioPath, task.originalName)}` +
            (eta !== null ? ` (${formatSeconds(eta)} left)` : ''),
        );
        return;
      }
      // The task left `processing`: its bar goes, so nothing stays frozen at 96%.
      line.clear();
      void reportFinished(app, log, task);
    });
    if (app.url && ctx.values['no-auth']) {
      log.warn(
        '--no-auth: every program and user that can reach this address can read all your notes and play every recording',
      );
    }
    // The link carries a one-time code (10 minutes), never the secret; `hark open` makes another.
    const link = app.loginUrl();
    log.info(`Hark is running${link ? ` at ${link}` : ''} (notes: ${app.services.config.notesDir})`);
    logLanLines(app, log);

    // A daemon: the process lives until it is told to stop, even with nothing to watch or serve.
    const keepAlive = setInterval(() => {}, 1 << 30);
    const stopped = new Promise<number>((resolve) => {
      const stop = (signal: string) => {
        log.info(`${signal}: stopping; the task in progress resumes from its checkpoint next time`);
        void app.stop().then(() => {
          clearInterval(keepAlive);
          resolve(0);
        });
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });
    if (once) {
      // The first start downloads the model in the background: the work waits for it, not the exit.
      await Promise.race([app.modelDownloadsSettled(), stopped]);
      if (app.worker) await Promise.race([untilNoWorkLeft(app, log), stopped]);
      line.clear();
      clearInterval(keepAlive);
      await app.stop();
      return 0;
    }
    return stopped;
  },
};

/** A line per finished task (✓ or ✗), and one for a failure that will be tried again. */
async function reportFinished(app: HarkApp, log: Log, task: Task): Promise<void> {
  const wait = task.availableAt - Date.now();
  if (task.status === 'pending' && task.errorMessage && wait > 0) {
    log.warn(
      `↻ ${displayName(task.audioPath, task.originalName)}: ${task.errorMessage}; trying again in ${formatSeconds(wait / 1000)}`,
    );
    return;
  }
  let duration = task.duration;
  if (task.status === 'completed' && duration === null) {
    duration = (await app.queue.getTranscription(task.transcriptionId).catch(() => null))?.duration ?? null;
  }
  const finished = finishedTaskLine(task, duration);
  if (finished) log[finished.level](finished.text);
}

/**
 * --exit-when-idle: resolves once no task is pending or processing. The
 * worker's first idle is not enough: a task waiting out its backoff is work
 * left, and the worker wakes for it when the backoff ends. A paused queue
 * will not run anything, so that ends the wait at once, with a line saying so.
 */
async function untilNoWorkLeft(app: HarkApp, log: Log): Promise<void> {
  const worker = app.worker;
  if (!worker) return;
  let idle = worker.nextIdle();
  worker.wake();
  for (;;) {
    await idle;
    idle = worker.nextIdle();
    const [counts, pause] = await Promise.all([app.queue.getCounts(), app.queue.getPause()]);
    const left = counts.pending + counts.processing;
    if (left === 0) return;
    if (pause.paused) {
      log.warn(
        `the queue is paused (${pause.reason === 'user' ? 'by you; `hark resume` resumes it' : pause.reason}): exiting with ${left} task(s) left`,
      );
      return;
    }
  }
}
