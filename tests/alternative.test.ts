import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TranscriptionJson } from '../src/core/json.js';
import { startTestApp, type TestApp } from './helpers/testApp.js';
import { eventually } from './helpers/wait.js';

const NOTE = 'errands/071500-voice-note.wav';
const SIDECAR = 'errands/071500-voice-note.txt';

/** A transcribed note the user edited, then transcribed again: the newer text is kept beside the edit. */
async function editedThenTranscribedAgain(): Promise<{ t: TestApp; id: string }> {
  const t = await startTestApp({ files: { [NOTE]: { text: 'plumber coffee thursday', duration: 2 } } });
  const id = await eventually(async () => {
    const note = (await t.request({ url: '/api/transcriptions' })).json() as {
      transcriptions: TranscriptionJson[];
    };
    const first = note.transcriptions[0];
    return first && existsSync(join(t.notes, SIDECAR)) ? first.id : undefined;
  }, 'the note and its sidecar');
  const edit = await t.request({
    method: 'PATCH',
    url: `/api/transcriptions/${id}`,
    payload: { text: 'my own words' },
  });
  expect(edit.statusCode).toBe(200);
  await t.app.services.queue.completeRecording({
    id,
    transcript: { text: 'plumber, coffee filters, Thursday', segments: [], duration: 2 },
    outcome: 'complete',
    engine: 'fake',
    sidecarPath: SIDECAR,
  });
  return { t, id };
}

const note = async (t: TestApp, id: string) =>
  (await t.request({ url: `/api/transcriptions/${id}` })).json() as TranscriptionJson;

describe('the transcript a re-transcription kept beside an edit', () => {
  it('is shown beside the edit, and "use" puts it in place, sidecar and search included', async () => {
    const { t, id } = await editedThenTranscribedAgain();
    expect(await note(t, id)).toMatchObject({
      transcription_text: 'my own words',
      edited: true,
      alternative_text: 'plumber, coffee filters, Thursday',
    });
    const used = await t.request({ method: 'POST', url: `/api/transcriptions/${id}/alternative/use` });
    expect(used.statusCode).toBe(200);
    expect(used.json()).toMatchObject({
      transcription_text: 'plumber, coffee filters, Thursday',
      edited: false,
      alternative_text: null,
    });
    await eventually(
      () => readFileSync(join(t.notes, SIDECAR), 'utf8').includes('coffee filters'),
      "Hark's sidecar to follow",
    );
    const found = (await t.request({ url: '/api/transcriptions?q=filters' })).json() as {
      transcriptions: TranscriptionJson[];
    };
    expect(found.transcriptions.map((n) => n.id)).toEqual([id]);
    const again = await t.request({ method: 'POST', url: `/api/transcriptions/${id}/alternative/use` });
    expect(again.statusCode).toBe(409);
  });

  it('"dismiss" lets it go and keeps the edit; anything else is refused', async () => {
    const { t, id } = await editedThenTranscribedAgain();
    const dismissed = await t.request({
      method: 'POST',
      url: `/api/transcriptions/${id}/alternative/dismiss`,
    });
    expect(dismissed.json()).toMatchObject({
      transcription_text: 'my own words',
      edited: true,
      alternative_text: null,
    });
    expect(readFileSync(join(t.notes, SIDECAR), 'utf8')).toContain('my own words');
    expect(
      (await t.request({ method: 'POST', url: `/api/transcriptions/${id}/alternative/keep` })).statusCode,
    ).toBe(400);
    expect(
      (await t.request({ method: 'POST', url: '/api/transcriptions/00000000000000000000/alternative/use' }))
        .statusCode,
    ).toBe(404);
  });
});
