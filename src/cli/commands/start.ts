import { HarkApp } from '../../app/harkApp.js';
import { stderrLog } from '../../app/log.js';
import { displayName } from '../../core/json.js';
import type { Command } from '../command.js';
import { formatSeconds } from '../output.js';
import { bar, ProgressLine } from '../progressBar.js';

export const startCommand: Command = {
  name: 'start',
  summary:
    'Run Hark: recover from any crash, scan the notes folder, watch it, and transcribe in the background.',
  usage: 'hark start [--port N] [--host H] [--exit-when-idle] [--no-watch] [--no-serve]',
  options: {
    'exit-when-idle': { type: 'boolean' },
    'no-watch': { type: 'boolean' },
    'no-serve': { type: 'boolean' },
  },
  async run(ctx) {
    const line = new ProgressLine();
    const log = (message: string) => {
      line.clear();
      stderrLog(message);
    };
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
    });
    const queue = app.queue;
    app.services.events.on('task-update', (task) => {
      if (task.status !== 'processing') return;
      const eta = queue.activeEtaSeconds();
      line.update(
        `${bar(task.progress)} ${Math.round(task.progress * 100)}% ${displayName(task.audioPath, task.originalName)}` +
          (eta !== null ? ` (${formatSeconds(eta)} left)` : ''),
      );
    });
    log(`Hark is running${app.url ? ` at ${app.url}` : ''} (notes: ${app.services.config.notesDir})`);

    // A daemon: the process lives until it is told to stop, even with nothing to watch or serve.
    const keepAlive = setInterval(() => {}, 1 << 30);
    const stopped = new Promise<number>((resolve) => {
      const stop = (signal: string) => {
        log(`${signal}: stopping; the task in progress resumes from its checkpoint next time`);
        void app.stop().then(() => {
          clearInterval(keepAlive);
          resolve(0);
        });
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });
    if (once) {
      if (app.worker) {
        const idle = app.worker.nextIdle();
        app.worker.wake();
        await Promise.race([idle, stopped]);
      }
      line.clear();
      clearInterval(keepAlive);
      await app.stop();
      return 0;
    }
    return stopped;
  },
};
