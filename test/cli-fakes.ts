// Stand-ins for the CLI's tests: a host that forks nothing, and main() with captured output.
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
