// A plugin host with neither logger nor 'error' listener, its hostile-text
// plugin run in the mode given: the library's own output of it is all there is.
import { PluginHost } from 'jailthread';

const mode = process.argv[2] ?? 'status';
const host = new PluginHost().add({
  name: 'forger',
  module: new URL('../fixtures/plugins/hostile-text.js', import.meta.url),
  options: { args: [mode] },
  maxRestarts: 0,
});
const ended = new Promise((resolve) => host.once(mode === 'throw' ? 'errored' : 'state', resolve));
await host.start();
if (mode === 'throw') await ended;
await host.stop();
process.stdout.write('host still running\n');
