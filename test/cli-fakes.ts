// Stand-ins for the CLI's tests: a host that forks nothing, main() with captured output, and a
// handshake on a real host's output.
import type { Readable } from 'node:stream';
import { type CliIo, type ControlledHost, main, type PluginRow } from './cli-modules.js';

export const row = (name: string, status: unknown = {}): PluginRow => ({
  name,
  state: 'running',
  pid: 100,
  restarts: 0,
  uptime: 5000,
  memory: null,
  lastExit: null,
  status,
});

/** A stand-in for PluginHost that records what the CLI asked of it; `statusOf` gives each plugin's own status. */
export function fakeHost(
  names: string[],
  statusOf: (name: string) => unknown = () => ({}),
): ControlledHost & { calls: unknown[][] } {
  const calls: unknown[][] = [];
  const host: ControlledHost & { calls: unknown[][] } = {
    calls,
    stop: async (name?: string) => {
      calls.push(['stop', name]);
    },
    restart: async (name: string) => {
      calls.push(['restart', name]);
    },
    setIdle: (name: string, idle: boolean) => {
      calls.push(['setIdle', name, idle]);
    },
    call: async (name: string, method: string, input: unknown) => {
      calls.push(['call', name, method, input]);
      return method === 'banned' ? ['203.0.113.7'] : 1;
    },
    // Its methods all answer once, as PluginHost's stream() says of such a method.
    stream: (name: string, method: string) => {
      throw new TypeError(`host.stream("${name}", "${method}"): ${method} answers once; call it with host.call().`);
    },
    names: () => [...names],
    status: async () => names.map((name) => row(name, statusOf(name))),
  };
  return host;
}

/** Runs the CLI with captured output. */
export async function cli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: {
      write: (text: string) => {
        stdout += text;
      },
    },
    stderr: {
      write: (text: string) => {
        stderr += text;
      },
    },
  };
  const code = await main(argv, io, env);
  return { code, stdout, stderr };
}

/**
 * Resolves with what `stream` wrote once `pattern` appears in it: the host's
 * own report is the handshake. Rejects if the stream ends or `ms` pass first,
 * so a host that never writes it fails the test instead of holding it.
 */
export function outputUntil(stream: Readable, pattern: RegExp, ms = 20_000): Promise<string> {
  let text = '';
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      clearTimeout(timer);
      stream.off('data', onData);
      if (error) reject(error);
      else resolve(text);
    };
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      if (pattern.test(text)) done();
    };
    const timer = setTimeout(() => done(new Error(`no ${pattern} within ${ms} ms: ${text}`)), ms);
    stream.on('data', onData);
    stream.once('end', () => done(new Error(`output ended without ${pattern}: ${text}`)));
  });
}
