// Type tests of the seed's module functions: compiled (never run), as the other files here.
import { currentThread, enumerate, type JailThread, type MainThread, PluginThread } from 'jailthread';

export function listed(): void {
  const threads: (JailThread<unknown> | PluginThread)[] = enumerate();
  for (const thread of threads) {
    const ident: number | undefined = thread.ident;
    const alive: boolean = thread.isAlive();
    void [ident, alive, thread.name];
    // @ts-expect-error: a plugin's process is listed read-only: only a JailThread has stop()
    void thread.stop();
    if (thread instanceof PluginThread) {
      // @ts-expect-error: its name is the plugin's, not to be set
      thread.name = 'other';
    }
  }
  const current: JailThread<unknown> | MainThread = currentThread();
  void current;
}
