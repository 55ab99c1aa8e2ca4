// Type tests of spares: compiled (never run), as the other files here.
import { JailThread, PluginHost } from 'jailthread';

class Ticker extends JailThread<{ ticks: number }> {
  static override readonly module = import.meta.url;
  override async run(): Promise<void> {}
}

export async function preloaded(): Promise<void> {
  // The static is inherited: called on a subclass, its spares preload the subclass's module.
  await Ticker.prewarm(2, { env: { MODE: 'warm' } });
  await JailThread.prewarm(1);
  // @ts-expect-error: a thread's own options are not process options
  await Ticker.prewarm(1, { sleeptime: 5 });
}

export function pluginSpares(): PluginHost {
  const host = new PluginHost();
  host.add({ name: 'a', module: new URL('./a.js', import.meta.url), spares: 1, preloadSpares: true });
  // @ts-expect-error: preloadSpares is a boolean
  host.add({ name: 'b', module: new URL('./b.js', import.meta.url), spares: 1, preloadSpares: 'yes' });
  return host;
}
