// Type tests (see plugin-host.ts): the events of threads and plugin hosts,
// which come from node:events' EventEmitter and so need Node's types even in
// a project whose tsconfig loads none ("types": [], as `tsc --init` writes).
import type { JailThread, PluginHost } from 'jailthread';

export function threadEvents(thread: JailThread): void {
  thread.on('exit', (exitCode, signalCode) => {
    const code: number | null = exitCode;
    const signal: string | null = signalCode;
    void [code, signal];
  });
  thread.once('error', (error) => error.message);
  thread.off('message', () => undefined);
  // @ts-expect-error: an exit code is a number or null
  thread.on('exit', (exitCode: string) => exitCode);
}

export function hostEvents(host: PluginHost): void {
  host.on('crash', ({ plugin, reason }) => `${plugin}: ${reason}`);
  host.on('exit', ({ exitCode }) => {
    const code: number | null = exitCode;
    void code;
  });
}

export function errorShape(host: PluginHost): void {
  // 'error' keeps Node's shape: the error first, then the plugin's name.
  host.on('error', (error, plugin) => {
    const message: string = error.message;
    const name: string = plugin;
    void [message, name];
  });
  // @ts-expect-error: the first argument is the error, not an event object
  host.on('error', ({ plugin }: { plugin: string }) => plugin);
}
