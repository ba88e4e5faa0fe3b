import { renameSync, rmSync, statSync } from 'node:fs';
import { ffmpegBinary, probeAudio } from './ffmpeg.js';
import { runInProcessGroup } from './processGroup.js';

/** ffmpeg's muxer for each extension a recording or an import can have. */
const MUXERS: Record<string, string> = {
  wav: 'wav',
  webm: 'webm',
  ogg: 'ogg',
  opus: 'ogg',
  mp3: 'mp3',
  flac: 'flac',
  m4a: 'ipod',
  aac: 'adts',
};

const SALVAGE_TIMEOUT_MS = 10 * 60_000;

/**
 * Finishes an audio file that was cut off while it was being written (a
 * recording whose upload a crash interrupted): the part that can be read is
 * copied, without re-encoding, into a whole file of the same format that
 * replaces it. A cut-off file otherwise fails as truncated, and the words
 * that did arrive would never be transcribed.
 *
 * Returns the seconds of audio kept, or null when nothing could be read; the
 * file is then left exactly as it was (the engine will say why it is unreadable).
 */
export async function salvageAudio(path: string, extension: string): Promise<number | null> {
  const muxer = MUXERS[extension.toLowerCase()];
  if (!muxer || statSync(path).size === 0) return null;
  const repaired = `${path}.salvage`;
  try {
    const run = await runInProcessGroup(
      ffmpegBinary(),
      [
        '-nostdin',
        '-hide_banner',
        '-loglevel',
        'error',
        '-y',
        '-i',
        path,
        '-map',
        '0:a:0',
        '-c:a',
        'copy',
      ].concat(['-f', muxer, repaired]),
      { signal: new AbortController().signal, label: 'ffmpeg', timeoutMs: SALVAGE_TIMEOUT_MS },
    );
    if (run.code !== 0) return null;
    const { duration } = await probeAudio(repaired);
    if (!(duration > 0)) return null;
    renameSync(repaired, path);
    return duration;
  } catch {
    return null; // nothing readable: the original stays for the engine to judge
  } finally {
    rmSync(repaired, { force: true });
  }
}
