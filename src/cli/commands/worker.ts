import { WorkerNode } from '../../app/workerNode.js';
import { displayName } from '../../core/json.js';
import { shortNodeName } from '../../core/nodeId.js';
import { createLogger } from '../../services/log.js';
import type { Command } from '../command.js';
import { bar, ProgressLine } from '../progressBar.js';
import { finishedTaskLine } from '../taskLines.js';

export const workerCommand: Command = {
  name: 'worker',
  summary:
    'Run a worker node: claim and transcribe tasks from a shared PostgreSQL queue (no web server, scan or watcher).',
  usage: 'hark worker --store postgres://user@host/db --notes DIR [--data DIR] [--engine …]',
  async run(ctx) {
    const line = new ProgressLine();
    const log = createLogger({ beforeWrite: () => line.clear() });
    const node = await WorkerNode.start(ctx.config(), {
      log,
      pullModel: true,
      onPullProgress: (bytes, total) =>
        line.update(`${bar(bytes / total)} ${Math.round((100 * bytes) / total)}% of the model`),
    });
    node.services.events.on('task-update', (task) => {
      if (task.status === 'processing' && task.lockedBy === node.id) {
        line.update(
          `${bar(task.progress)} ${Math.round(task.progress * 100)}% ${displayName(task.audioPath, task.originalName)}`,
        );
        return;
      }
      line.clear();
      const finished = finishedTaskLine(task, task.duration);
      if (finished) log[finished.level](finished.text);
    });
    log.info(
      `worker node ${shortNodeName(node.id)} is running (notes: ${node.services.config.notesDir}); ` +
        'Ctrl-C stops it, giving its task back',
    );

    const keepAlive = setInterval(() => {}, 1 << 30);
    return new Promise<number>((resolve) => {
      const stop = (signal: string) => {
        log.info(
          `${signal}: stopping; the task in progress goes back to the queue and resumes from its checkpoint`,
        );
        void node.stop().then(() => {
          clearInterval(keepAlive);
          resolve(0);
        });
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });
  },
};
