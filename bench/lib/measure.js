// The steps both bench/run.js and bench/start-rows.js time on one handle.
import { median } from './stats.js';

/** Starts one handle of `system`: the handle, and how long its start took in ms. */
export async function timedStart(system) {
  const t0 = performance.now();
  const handle = await system.start();
  return { handle, started: performance.now() - t0 };
}

/**
 * The median of `count` round trips, after `warm` unmeasured ones: round trips
 * run this library's frame, zod and channel code, which V8 needs a few
 * thousand to optimise.
 */
export async function steadyRoundTrip(system, handle, warm, count) {
  for (let i = 0; i < warm; i++) await system.roundTrip(handle);
  const trips = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    await system.roundTrip(handle);
    trips.push(performance.now() - t);
  }
  return median(trips);
}

/** Stops the handle: how long that took in ms. */
export async function timedStop(system, handle) {
  const t0 = performance.now();
  await system.stop(handle);
  return performance.now() - t0;
}
