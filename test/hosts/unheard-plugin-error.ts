// A plugin host with no 'error' listener, whose plugin's run() throws.
import { PluginHost } from 'jailthread';

const host = new PluginHost({ logger: () => undefined }).add({
  name: 'loud',
  module: new URL('../fixtures/throws.js', import.meta.url),
  maxRestarts: 0,
});
// Not events.once(): it listens for 'error' too, which would take the error from the host.
const errored = new Promise((resolve) => host.once('errored', resolve));
await host.start();
await errored;
await host.stop();
process.stdout.write('host still running');
