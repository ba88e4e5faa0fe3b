import { describe, expect, it } from 'vitest';
import { HearingNow, heardInOrder, type LookAhead } from './heardInOrder.js';

/** A window's hearing that the test ends, in any order. */
class Hearing {
  readonly started: number[] = [];
  readonly running = new Set<number>();
  mostAtOnce = 0;
  private readonly ends = new Map<
    number,
    { resolve: (text: string) => void; reject: (error: Error) => void }
  >();
  private readonly waiters: (() => void)[] = [];

  hear = (window: number): Promise<string> => {
    this.started.push(window);
    this.running.add(window);
    this.mostAtOnce = Math.max(this.mostAtOnce, this.running.size);
    for (const wake of this.waiters.splice(0)) wake();
    return new Promise<string>((resolve, reject) => this.ends.set(window, { resolve, reject })).finally(() =>
      this.running.delete(window),
    );
  };

  finish(window: number): void {
    this.ends.get(window)?.resolve(`w${window}`);
  }

  fail(window: number, message: string): void {
    this.ends.get(window)?.reject(new Error(message));
  }

  /** Resolves once `count` windows have started. */
  async startedCount(count: number): Promise<void> {
    while (this.started.length < count) await new Promise<void>((wake) => this.waiters.push(wake));
  }
}

async function* numbers(count: number, failAt: number | null = null): AsyncGenerator<number> {
  for (let i = 0; i < count; i++) {
    if (i === failAt) throw new Error('the decoder gave up');
    yield i;
  }
}

function lookAhead(limit: number, stops: { count: number } = { count: 0 }): LookAhead {
  return { mayStart: (running) => running < limit, mostPending: 2 * limit, stop: () => stops.count++ };
}

/** Collects what the stream gives back, as the engine's loop takes it. */
async function collect(results: AsyncGenerator<string>, taken: string[]): Promise<void> {
  for await (const result of results) taken.push(result);
}

describe('heardInOrder', () => {
  it('hears two windows at once and gives them back in order when the later one is heard first', async () => {
    const hearing = new Hearing();
    const taken: string[] = [];
    const done = collect(heardInOrder(numbers(3), hearing.hear, lookAhead(2)), taken);
    await hearing.startedCount(2);
    expect(hearing.started).toEqual([0, 1]);
    hearing.finish(1);
    await hearing.startedCount(3); // window 1's core is free again: window 2 starts before window 0 ends
    expect(taken).toEqual([]); // window 1 waits for window 0
    hearing.finish(0);
    hearing.finish(2);
    await done;
    expect(taken).toEqual(['w0', 'w1', 'w2']);
    expect(hearing.mostAtOnce).toBe(2);
  });

  it('one at a time, starts the next window only after the one before was taken', async () => {
    const hearing = new Hearing();
    const taken: string[] = [];
    const startedWhenTaken: number[] = [];
    const results = heardInOrder(numbers(3), hearing.hear, lookAhead(1));
    const done = (async () => {
      for await (const result of results) {
        taken.push(result);
        startedWhenTaken.push(hearing.started.length);
      }
    })();
    for (const window of [0, 1, 2]) {
      await hearing.startedCount(window + 1);
      hearing.finish(window);
    }
    await done;
    expect(taken).toEqual(['w0', 'w1', 'w2']);
    expect(startedWhenTaken).toEqual([1, 2, 3]);
    expect(hearing.mostAtOnce).toBe(1);
  });

  it('throws a later window’s failure in its turn, after the window before it is given back, and starts nothing after it', async () => {
    const hearing = new Hearing();
    const taken: string[] = [];
    const done = collect(heardInOrder(numbers(5), hearing.hear, lookAhead(2)), taken);
    await hearing.startedCount(2);
    hearing.fail(1, 'window 1 failed');
    hearing.finish(0);
    await expect(done).rejects.toThrow('window 1 failed');
    expect(taken).toEqual(['w0']);
    expect(hearing.started).toEqual([0, 1]);
  });

  it('gives back the windows before a stream failure, then throws it', async () => {
    const hearing = new Hearing();
    const taken: string[] = [];
    const done = collect(heardInOrder(numbers(5, 2), hearing.hear, lookAhead(2)), taken);
    await hearing.startedCount(2);
    hearing.finish(1);
    hearing.finish(0);
    await expect(done).rejects.toThrow('the decoder gave up');
    expect(taken).toEqual(['w0', 'w1']);
  });

  it('ending early stops the windows still being heard and waits for them, so none outlives it', async () => {
    const hearing = new Hearing();
    const stops = { count: 0 };
    const ahead: LookAhead = {
      ...lookAhead(2, stops),
      stop: () => {
        stops.count++;
        for (const window of hearing.running) hearing.fail(window, 'stopped');
      },
    };
    const done = (async () => {
      for await (const result of heardInOrder(numbers(5), hearing.hear, ahead)) {
        throw new Error(`the commit of ${result} failed`);
      }
    })();
    await hearing.startedCount(2);
    hearing.finish(0);
    await expect(done).rejects.toThrow('the commit of w0 failed');
    expect(stops.count).toBe(1);
    expect(hearing.running.size).toBe(0);
  });

  it('starts no more than mostPending, however many may run', async () => {
    const hearing = new Hearing();
    const taken: string[] = [];
    const ahead: LookAhead = { mayStart: () => true, mostPending: 3, stop: () => {} };
    const done = collect(heardInOrder(numbers(6), hearing.hear, ahead), taken);
    await hearing.startedCount(3);
    for (const window of [1, 2]) hearing.finish(window);
    await new Promise<void>((drained) => setImmediate(drained)); // every reaction to those ends has run
    expect(hearing.started).toEqual([0, 1, 2]); // windows 1 and 2 wait, uncommitted, for window 0
    hearing.finish(0);
    await hearing.startedCount(6);
    for (const window of [3, 4, 5]) hearing.finish(window);
    await done;
    expect(taken).toEqual(['w0', 'w1', 'w2', 'w3', 'w4', 'w5']);
  });
});

describe('HearingNow', () => {
  it('counts each window until its end is called, once', () => {
    const now = new HearingNow(2);
    const first = now.begin();
    const second = now.begin();
    expect(now.windows).toBe(2);
    first();
    first();
    expect(now.windows).toBe(1);
    second();
    expect(now.windows).toBe(0);
  });
});
