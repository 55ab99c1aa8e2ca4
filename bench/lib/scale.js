/**
 * `count` threads of one system started together, each answering once, then
 * all stopped: the wall time, in ms, and the host's peak RSS meanwhile, in MiB.
 */
export async function measureScale(system, count) {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  const t0 = performance.now();
  const handles = await Promise.all(Array.from({ length: count }, () => system.start()));
  await Promise.all(handles.map((handle) => system.roundTrip(handle)));
  await Promise.all(handles.map((handle) => system.stop(handle)));
  const wall = performance.now() - t0;
  clearInterval(sampler);
  return { wall, peakRssMb: peak / 2 ** 20 };
}
