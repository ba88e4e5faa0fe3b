import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadCatalog } from '../../models/catalog.js';
import { ModelManager } from '../../models/manager.js';
import { listModels, resolveModel } from '../../models/store.js';
import { EngineHub } from '../../services/engineHub.js';
import { selectEngine } from '../../services/engines.js';
import { silentLog } from '../../services/log.js';
import { SettingsService } from '../../services/settings.js';
import { findFfmpeg } from '../../transcription/ffmpegPath.js';
import { pocketsphinxInfo } from '../../transcription/pocketsphinx.js';
import { defaultWhisperRuntime, describeWhisperRuntime } from '../../transcription/whisper/whisperRuntime.js';
import type { Command } from '../command.js';
import { withServices } from '../withServices.js';

const require = createRequire(import.meta.url);

function packageVersion(name: string): string | null {
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return null;
  }
}

/** `hark doctor`: what Hark can use on this machine and why, one line each. */
export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'Show what is available for transcription here: ffmpeg, engines, models, versions.',
  usage: 'hark doctor [--json]',
  options: { json: { type: 'boolean' } },
  async run(ctx) {
    const config = ctx.config();
    const ffmpeg = findFfmpeg();
    const sphinx = await pocketsphinxInfo();
    const whisperBinding = packageVersion('@napi-rs/whisper');
    const whisperRuntime = defaultWhisperRuntime();
    const whisperHost =
      whisperRuntime.kind === 'native' || whisperBinding ? describeWhisperRuntime(whisperRuntime) : null;
    const installed = listModels(config.dataDir).filter((m) => m.installed);
    const model = resolveModel({ modelPath: config.modelPath ?? undefined, dataDir: config.dataDir });
    const selection = await selectEngine(config, silentLog);
    await selection.engine?.dispose();
    // What `hark start` would use, with the saved settings: the engine, its model, and why any fallback.
    const inUse = await withServices(ctx, async (services) => {
      const catalog = loadCatalog(config.modelCatalogFile);
      const settings = await SettingsService.load(config, services.queue, catalog);
      const models = new ModelManager({ dataDir: config.dataDir, catalog });
      const hub = new EngineHub(config, settings, models);
      const status = { foreground: hub.status('foreground'), background: hub.status('background') };
      await hub.dispose();
      return status;
    });
    const report = {
      node: process.version,
      notes: config.notesDir,
      data: config.dataDir,
      ffmpeg: ffmpeg ? { path: ffmpeg.path, version: ffmpeg.version, origin: ffmpeg.origin } : null,
      whisper: {
        binding: whisperBinding ? `@napi-rs/whisper ${whisperBinding}` : null,
        /** What hosts the models: whisper.cpp built for this machine at install, or the prebuilt binding. */
        runtime: whisperRuntime,
        model,
        modelExists: model ? existsSync(model) : false,
        installedModels: installed.map((m) => m.name),
      },
      pocketsphinx: sphinx,
      command: config.command,
      engine: {
        asked: config.engine,
        chosen: inUse.background.engine ?? selection.engine?.name ?? null,
        why: inUse.background.reason,
        model: inUse.background.model,
        fallback_reason: inUse.background.fallback_reason,
        foreground: inUse.foreground,
        background: inUse.background,
      },
    };
    if (ctx.values.json) {
      ctx.out(JSON.stringify(report, null, 2));
      return 0;
    }
    const mark = (ok: boolean) => (ok ? 'ok ' : '-- ');
    ctx.out(
      [
        `Hark on Node ${report.node}`,
        `notes folder  ${report.notes}`,
        `data folder   ${report.data}`,
        '',
        `${mark(Boolean(ffmpeg))}ffmpeg        ${ffmpeg ? `${ffmpeg.version.split(' Copyright')[0]} (${ffmpeg.origin}: ${ffmpeg.path})` : 'not found: reinstall with npm ci'}`,
        `${mark(Boolean(whisperHost && model))}whisper       ${whisperHost ?? 'binding missing'}; ${model ? `model ${model}` : `no model (hark models pull ${config.modelName})`}`,
        `${mark(Boolean(sphinx))}pocketsphinx  ${sphinx ? `${sphinx.version} (${sphinx.binary}, model ${sphinx.modelDir})` : 'not installed (apt-get install pocketsphinx pocketsphinx-en-us)'}`,
        `${mark(Boolean(config.command))}command       ${config.command ?? 'no --command template given'}`,
        '',
        `engine (--engine ${config.engine}): ${report.engine.chosen ?? 'NONE'}: ${report.engine.why}`,
        `model         ${report.engine.model ?? 'none'}`,
        ...(report.engine.fallback_reason
          ? [`fallback      pocketsphinx, because ${report.engine.fallback_reason}`]
          : []),
        ...(inUse.foreground.engine !== inUse.background.engine ||
        inUse.foreground.model !== inUse.background.model
          ? [`recordings    ${inUse.foreground.engine ?? 'NONE'}: ${inUse.foreground.reason}`]
          : []),
      ].join('\n'),
    );
    return inUse.background.kind !== 'none' ? 0 : 1;
  },
};
