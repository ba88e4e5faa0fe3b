import { describe, expect, it } from 'vitest';
import { checkpointOf, chunkJson } from './chunkRow.js';

const segment = (text: string, start = 0) => ({ start, end: start + 1, text });

describe("a committed chunk's segments column", () => {
  it('round-trips the segments and the prompt the chunk left for the next window', () => {
    const rows = [
      {
        end_sec: 30,
        segments: chunkJson({ segments: [segment('one')], nextPrompt: { text: 'one', language: 'en' } }),
      },
      {
        end_sec: 60,
        segments: chunkJson({ segments: [segment('two', 30)], nextPrompt: { text: 'two', language: null } }),
      },
    ];
    expect(checkpointOf(rows)).toEqual({
      seconds: 60,
      chunkCount: 2,
      segments: [segment('one'), segment('two', 30)],
      nextPrompt: { text: 'two', language: null },
    });
  });

  it('reads the bare segments array an older release wrote, as a chunk that left no prompt', () => {
    const rows = [
      {
        end_sec: 30,
        segments: chunkJson({ segments: [segment('new')], nextPrompt: { text: 'new', language: 'en' } }),
      },
      { end_sec: 60, segments: JSON.stringify([segment('old', 30)]) },
    ];
    const checkpoint = checkpointOf(rows);
    expect(checkpoint.segments).toEqual([segment('new'), segment('old', 30)]);
    expect(checkpoint.nextPrompt).toBeUndefined();
  });

  it('gives no prompt for a chunk that left none, or one that is not a prompt', () => {
    expect(checkpointOf([{ end_sec: 5, segments: chunkJson({ segments: [] }) }]).nextPrompt).toBeUndefined();
    const odd = JSON.stringify({ segments: [], nextPrompt: { text: 7 } });
    expect(checkpointOf([{ end_sec: 5, segments: odd }]).nextPrompt).toBeUndefined();
    expect(checkpointOf([])).toEqual({ seconds: 0, chunkCount: 0, segments: [] });
  });

  it('keeps the language each window was heard in, in order, leaving out the windows that have none', () => {
    const rows = [
      { end_sec: 30, segments: chunkJson({ segments: [], language: 'de' }) },
      { end_sec: 60, segments: chunkJson({ segments: [], language: null }) }, // silence
      { end_sec: 90, segments: JSON.stringify([segment('old', 60)]) }, // an older release's chunk
      { end_sec: 120, segments: chunkJson({ segments: [], language: 'fr' }) },
    ];
    expect(checkpointOf(rows).languages).toEqual(['de', 'fr']);
    expect(checkpointOf(rows.slice(1, 3)).languages).toBeUndefined();
    expect(
      checkpointOf([{ end_sec: 5, segments: JSON.stringify({ segments: [], language: 7 }) }]).languages,
    ).toBeUndefined();
  });
});
