import { setTimeout as delay } from 'node:timers/promises';

/**
 * Time as the simulator sees it. Compatible with the core `Clock` port; `sleep` may also take an abort signal so
 * `stop()` ends long waits at once (a clock that ignores the signal still works, `stop()` then waits for the timer).
 */
export interface SimClock {
  now(): Date;
  /** Resolves after `ms` of this clock's time, or rejects with an `AbortError` when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The wall clock with cancellable sleeps. */
export const realClock: SimClock = {
  now: () => new Date(),
  sleep: (ms, signal) => delay(Math.max(0, ms), undefined, signal ? { signal } : undefined),
};

/** Options of {@link scaledClock}. */
export interface ScaledClockOptions {
  /** Real milliseconds per simulated millisecond, e.g. `0.001` runs a simulated hour in 3.6 s. */
  scale: number;
  /** Simulated time at creation. @default the wall clock's now */
  start?: Date | undefined;
}

/**
 * A clock whose time runs `1 / scale` times faster than the wall clock, so behaviours written in realistic
 * milliseconds (hours to ship, a day to acknowledge) run in tests and benchmarks in a fraction of the time.
 * @example createSupplierSimulator({ ..., clock: scaledClock({ scale: 0.001 }) })
 */
export function scaledClock(options: ScaledClockOptions): SimClock {
  if (!(options.scale > 0)) throw new RangeError('scale must be > 0');
  const origin = performance.now();
  const start = (options.start ?? new Date()).getTime();
  return {
    now: () => new Date(start + (performance.now() - origin) / options.scale),
    sleep: (ms, signal) => delay(Math.max(0, ms * options.scale), undefined, signal ? { signal } : undefined),
  };
}
