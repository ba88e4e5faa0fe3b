import { describe, expect, it } from 'vitest';
import { COMMANDS } from './main.js';

describe('the CLI help', () => {
  it('lists hark worker beside hark start', () => {
    const names = COMMANDS.map((command) => command.name);
    expect(names.slice(0, 2)).toEqual(['start', 'worker']);
    expect(COMMANDS.find((command) => command.name === 'worker')?.usage).toMatch(/--store .* --notes DIR/);
  });
});
