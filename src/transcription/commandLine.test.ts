import { describe, expect, it } from 'vitest';
import { BadRequest } from '../core/errors.js';
import { fillPlaceholders, splitCommandLine, usesPlaceholder } from './commandLine.js';

describe('splitCommandLine', () => {
  it('splits at runs of whitespace', () => {
    expect(splitCommandLine('  whisper-cli  -m model.bin\t-f {input} ')).toEqual([
      'whisper-cli',
      '-m',
      'model.bin',
      '-f',
      '{input}',
    ]);
  });

  it('keeps quoted words whole, single quotes literally', () => {
    expect(splitCommandLine(`run 'a b' "c d" e'f g'h '' "x \\"y\\" \\\\ \\n"`)).toEqual([
      'run',
      'a b',
      'c d',
      'ef gh',
      '',
      'x "y" \\ \\n',
    ]);
  });

  it('lets a backslash escape a space or quote outside quotes', () => {
    expect(splitCommandLine(`/opt/My\\ Tools/asr \\'x`)).toEqual(['/opt/My Tools/asr', "'x"]);
  });

  it('treats shell syntax as plain words (no shell runs)', () => {
    expect(splitCommandLine('asr {input} | tee $HOME/out; rm -rf /')).toEqual([
      'asr',
      '{input}',
      '|',
      'tee',
      '$HOME/out;',
      'rm',
      '-rf',
      '/',
    ]);
  });

  it('rejects an unterminated quote', () => {
    expect(() => splitCommandLine(`asr 'oops`)).toThrow(BadRequest);
    expect(() => splitCommandLine('asr "oops')).toThrow(BadRequest);
  });
});

describe('fillPlaceholders', () => {
  it('fills placeholders inside words, leaving a path with spaces one argument', () => {
    const words = splitCommandLine('asr --in={input} -of {output} {unknown}');
    expect(fillPlaceholders(words, { input: '/tmp/a b/window.wav', output: '/tmp/a b/output' })).toEqual([
      'asr',
      '--in=/tmp/a b/window.wav',
      '-of',
      '/tmp/a b/output',
      '{unknown}',
    ]);
    expect(usesPlaceholder(words, 'output')).toBe(true);
    expect(usesPlaceholder(['asr', '{input}'], 'output')).toBe(false);
  });
});
