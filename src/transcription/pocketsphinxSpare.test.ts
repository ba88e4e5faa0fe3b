import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAll, lazySuiteDir } from '../../tests/helpers/audioFiles.js';
import { descendants, isAlive, whenGone } from '../../tests/helpers/childProcesses.js';
import { SENTENCES, speak } from '../../tests/helpers/speech.js';
import { eventually } from '../../tests/helpers/wait.js';
import { Aborted, EngineFailed } from '../core/errors.js';
import { PocketsphinxRecognizer } from './pocketsphinx.js';

describe('the spare pocketsphinx started ahead of the next window', () => {
  const folder = lazySuiteDir('hark-pocketsphinx-spare-');
  let sentence: Float32Array;
  const signal = new AbortController().signal;

  beforeAll(async () => {
    sentence = await decodeAll(speak(SENTENCES[0] as string, join(folder.path, 's0.wav')));
  });
  afterAll(() => folder.remove());

  /** A recogniser that tells the test each spare it starts. */
  function counted(options: { spareIdleSeconds?: number } = {}) {
    const spares: number[] = [];
    const recognizer = new PocketsphinxRecognizer({ ...options, onSpareProcess: (pid) => spares.push(pid) });
    return { recognizer, spares };
  }

  it('is started ahead, then hears the next window, which starts the one after', async () => {
    const before = new Set(descendants().map((p) => p.pid));
    const { recognizer, spares } = counted();
    await recognizer.recognize(sentence, { signal });
    // The first window's own process, and one started ahead that is still waiting for its window.
    expect(spares).toHaveLength(2);
    const ahead = spares[1] as number;
    expect(isAlive(spares[0] as number)).toBe(false);
    expect(isAlive(ahead)).toBe(true);
    let hearing: number[] = [];
    await recognizer.recognize(sentence, {
      signal,
      onProgress: () => {
        if (hearing.length === 0) hearing = [...spares];
      },
    });
    // The second window was heard by the process started ahead; it started the third's.
    expect(spares).toHaveLength(3);
    expect(hearing).toContain(ahead);
    expect(isAlive(ahead)).toBe(false);
    await recognizer.dispose();
    expect(await whenGone(spares)).toEqual([]);
    expect(descendants().filter((p) => !before.has(p.pid))).toEqual([]);
  });

  it('gives the same words as a process started for the window', async () => {
    const { recognizer } = counted();
    const plain = new PocketsphinxRecognizer({ spareProcess: false });
    const first = await recognizer.recognize(sentence, { signal });
    const fromSpare = await recognizer.recognize(sentence, { signal });
    expect(fromSpare).toEqual(first);
    expect(await plain.recognize(sentence, { signal })).toEqual(first);
    await recognizer.dispose();
  });

  it('is killed by dispose, and by an abort together with the working process', async () => {
    const { recognizer, spares } = counted();
    await recognizer.recognize(sentence, { signal });
    await recognizer.dispose();
    expect(await whenGone(spares)).toEqual([]);

    const controller = new AbortController();
    const hearing = recognizer.recognize(sentence, {
      signal: controller.signal,
      onProgress: () => controller.abort({ kind: 'cancelled' }),
    });
    await expect(hearing).rejects.toBeInstanceOf(Aborted);
    // The working process and the next window's spare, both gone.
    expect(spares).toHaveLength(4);
    expect(await whenGone(spares)).toEqual([]);
    await recognizer.dispose();
  });

  it('is killed by an abort between windows, when no call is in flight to hear it', async () => {
    const { recognizer, spares } = counted();
    const controller = new AbortController();
    await recognizer.recognize(sentence, { signal: controller.signal });
    expect(isAlive(spares[1] as number)).toBe(true);
    controller.abort({ kind: 'cancelled' });
    expect(await whenGone(spares)).toEqual([]);
    await recognizer.dispose();
  });

  it('ends when nobody asks for it in time', async () => {
    const { recognizer, spares } = counted({ spareIdleSeconds: 0.5 });
    await recognizer.recognize(sentence, { signal });
    expect(await whenGone(spares)).toEqual([]);
    await recognizer.dispose();
  });

  it('is replaced, not blamed, when it was killed while it waited', async () => {
    const { recognizer, spares } = counted();
    const first = await recognizer.recognize(sentence, { signal });
    process.kill(spares[1] as number, 'SIGKILL');
    await eventually(() => !isAlive(spares[1] as number), 'the spare to die');
    expect(await recognizer.recognize(sentence, { signal })).toEqual(first);
    await recognizer.dispose();
    expect(await whenGone(spares)).toEqual([]);
  });

  it('fails only its own window when the working process is killed, and the next window is heard', async () => {
    let killWorking = false;
    const spares: number[] = [];
    const recognizer = new PocketsphinxRecognizer({
      onSpareProcess: (pid) => {
        spares.push(pid);
        // The third is started as the second window is handed to the second: kill that one, for real.
        if (killWorking && spares.length === 3) process.kill(spares[1] as number, 'SIGKILL');
      },
    });
    const first = await recognizer.recognize(sentence, { signal });
    killWorking = true;
    const killed = recognizer.recognize(sentence, { signal });
    await expect(killed).rejects.toThrow(EngineFailed);
    await expect(killed).rejects.toThrow(/killed by SIGKILL/);
    expect(await recognizer.recognize(sentence, { signal })).toEqual(first);
    await recognizer.dispose();
    expect(await whenGone(spares)).toEqual([]);
  });

  it('prewarm (you pressed Record) keeps one ready through the abort of the work it pre-empts, and the recording takes it', async () => {
    const { recognizer, spares } = counted();
    // Background work is hearing a window, its next window's spare waiting; you press Record.
    const background = new AbortController();
    let kept = 0;
    const preempted = recognizer.recognize(sentence, {
      signal: background.signal,
      onProgress: () => {
        if (kept !== 0) return;
        kept = -1;
        void recognizer.prewarm().then(() => {
          kept = spares.at(-1) as number;
          background.abort({ kind: 'preempted', by: 'recording' });
        });
      },
    });
    await expect(preempted).rejects.toBeInstanceOf(Aborted);
    await eventually(() => kept > 0, 'prewarm to resolve');
    expect(spares).toHaveLength(2); // prewarm kept the spare already waiting: nothing new started
    expect(await whenGone(spares.slice(0, 1))).toEqual([]); // the pre-empted window's process is gone…
    // The recording's window is heard by the one kept (had the abort ended it, the window would
    // have started a process of its own), which starts one more ahead.
    await recognizer.recognize(sentence, { signal });
    expect(spares).toHaveLength(3);
    expect(isAlive(kept)).toBe(false);
    await recognizer.dispose();
    expect(await whenGone(spares)).toEqual([]);
  });

  it('prewarm keeps the spare a finished window left for its task through that task’s abort between windows', async () => {
    const { recognizer, spares } = counted();
    const background = new AbortController();
    await recognizer.recognize(sentence, { signal: background.signal });
    const waiting = spares[1] as number;
    await recognizer.prewarm();
    expect(spares).toHaveLength(2);
    background.abort({ kind: 'preempted', by: 'recording' });
    // Had it not been kept, the abort would have ended it (see "is killed by an abort between
    // windows") and this window would have started a process of its own.
    await recognizer.recognize(sentence, { signal });
    expect(spares).toHaveLength(3); // the kept one heard it, and one more was started ahead
    expect(isAlive(waiting)).toBe(false); // it heard that window
    await recognizer.dispose();
    expect(await whenGone(spares)).toEqual([]);
  });

  it('prewarm starts one when none waits', async () => {
    const { recognizer, spares } = counted();
    await recognizer.prewarm();
    expect(spares).toHaveLength(1);
    expect(isAlive(spares[0] as number)).toBe(true);
    await recognizer.dispose();
    expect(await whenGone(spares)).toEqual([]);
  });

  it('a spare kept for a recording still ends when nobody asks for it in time', async () => {
    const { recognizer, spares } = counted({ spareIdleSeconds: 0.5 });
    await recognizer.prewarm();
    expect(spares).toHaveLength(1);
    expect(await whenGone(spares)).toEqual([]);
    await recognizer.dispose();
  });
});
