import { describe, expect, it } from 'vitest';
import { taskLanguageOf, taskPayload } from './taskOptions.js';

describe('task language payload', () => {
  it('round-trips a language and translate choice beside the audio path', () => {
    const payload = taskPayload('imports/a.wav', { language: 'de', translate: true });
    expect(JSON.parse(payload)).toEqual({ audio_path: 'imports/a.wav', language: 'de', translate: true });
    expect(taskLanguageOf(payload)).toEqual({ language: 'de', translate: true });
  });

  it('keeps the old payload shape when there is no choice', () => {
    expect(taskPayload('a.wav', undefined)).toBe('{"audio_path":"a.wav"}');
    expect(taskLanguageOf('{"audio_path":"a.wav"}')).toEqual({});
  });

  it('ignores what it cannot read instead of failing the task', () => {
    expect(taskLanguageOf(null)).toEqual({});
    expect(taskLanguageOf('not json')).toEqual({});
    expect(taskLanguageOf('{"language":"klingon","translate":"yes"}')).toEqual({});
    expect(taskLanguageOf('{"language":"auto","translate":false}')).toEqual({
      language: 'auto',
      translate: false,
    });
  });
});
