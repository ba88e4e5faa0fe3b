import { describe, expect, it } from 'vitest';
import { nodeId, shortNodeName } from './nodeId.js';

describe('node ids', () => {
  it('name the host, the process and its start time, and read short as host:pid', () => {
    const id = nodeId('desk', 4242, Date.UTC(2026, 11, 1, 12, 0, 0));
    expect(id).toBe('desk:4242:2026-12-01T12:00:00.000Z');
    expect(shortNodeName(id)).toBe('desk:4242');
    expect(shortNodeName('worker-1')).toBe('worker-1');
  });
});
