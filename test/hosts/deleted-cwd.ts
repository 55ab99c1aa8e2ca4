// Runs in a working directory that has been deleted, as a long-lived host's
// may be. No child can be forked there (execa refuses), so each start of the
// plugin fails; its policy must handle that, through the backoff too, with no
// unhandled rejection taking the host down.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PluginHost } from 'jailthread';

const dir = mkdtempSync(path.join(tmpdir(), 'jailthread-cwd-'));
process.chdir(dir);
rmSync(dir, { recursive: true });

const host = new PluginHost({ logger: () => undefined }).add({
  name: 'steady',
  module: new URL('../fixtures/plugins/steady.js', import.meta.url),
  spares: 1,
  backoff: { initial: 1 },
  maxRestarts: 1,
});
const crashes: string[] = [];
host.on('crash', (event) => crashes.push(event.error?.message ?? event.reason));
// The spares cannot be forked either; whether that is tried before the plugin
// is given up depends on timing, so those 'error' events are only kept quiet.
host.on('error', () => undefined);
const errored = new Promise((resolve) => host.once('errored', resolve));
await host.start();
await errored;
const [row] = await host.status();
await host.stop();
process.stdout.write(`${JSON.stringify({ state: row?.state, crashes })}\n`);
