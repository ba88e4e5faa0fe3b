import type { PauseState, RecordingState, Task } from './types.js';

/**
 * A small typed event emitter. The core cannot import node:events' types
 * cleanly with a typed map, and this is all Hark needs: on, once, off, emit.
 */
export type Listener<T> = (payload: T) => void;

export class TypedEmitter<Events extends { [K in keyof Events]: unknown }> {
  private readonly listeners = new Map<keyof Events, Set<Listener<never>>>();

  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener as Listener<never>);
    return () => this.off(event, listener);
  }

  off<K extends keyof Events>(event: K, listener: Listener<Events[K]>): void {
    this.listeners.get(event)?.delete(listener as Listener<never>);
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) (listener as Listener<Events[K]>)(payload);
  }

  listenerCount<K extends keyof Events>(event: K): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  /** Resolves with the first payload that matches; used by tests and the worker instead of sleeping. */
  waitFor<K extends keyof Events>(
    event: K,
    predicate: (payload: Events[K]) => boolean = () => true,
    signal?: AbortSignal,
  ): Promise<Events[K]> {
    return new Promise((resolve, reject) => {
      const off = this.on(event, (payload) => {
        if (!predicate(payload)) return;
        off();
        signal?.removeEventListener('abort', onAbort);
        resolve(payload);
      });
      const onAbort = () => {
        off();
        reject(signal?.reason);
      };
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/**
 * Every event Hark's parts tell each other, declared once. The bus that
 * carries them (HarkBus) is made by whoever opens the services and handed to
 * the queue, the recording state and the subscribers; only the queue emits
 * the queue's events, only the recording state its change.
 */
export interface HarkEvents {
  /** A task changed: state, progress, anything the UI shows. */
  'task-update': Task;
  /** Counts or lists may have changed; listeners that show the whole queue re-read it. */
  'queue-changed': { reason: string };
  'pause-changed': PauseState;
  /** A transcription was added to the main list or got its transcript: list views re-read. */
  'transcription-changed': { id: string };
  /** The user's recording state moved (Idle, Recording, Processing): leaving Idle pre-empts the background task. */
  'recording-changed': { from: RecordingState; to: RecordingState };
}

export type HarkBus = TypedEmitter<HarkEvents>;

/** A new, empty bus. */
export function createBus(): HarkBus {
  return new TypedEmitter<HarkEvents>();
}
