import type { Clock } from '@tradelane/core';

/** A clock that only moves when told to; `sleep` advances it instead of waiting. */
export interface ManualClock extends Clock {
  advance(ms: number): void;
  set(time: Date): void;
}

/**
 * A manual clock starting at `start`. With `yieldOnSleep`, `sleep` also resolves on the next event-loop turn, so
 * code that sleeps in a loop lets other work run between iterations.
 * @example const clock = manualClock(new Date('2030-01-01T00:00:00Z')); clock.advance(60_000);
 */
export function manualClock(start = new Date('2030-01-01T00:00:00.000Z'), options: { yieldOnSleep?: boolean } = {}): ManualClock {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    sleep: async (ms) => {
      now += Math.max(0, ms);
      if (options.yieldOnSleep) await new Promise((resolve) => setImmediate(resolve));
    },
    advance: (ms) => {
      now += ms;
    },
    set: (time) => {
      now = time.getTime();
    },
  };
}
