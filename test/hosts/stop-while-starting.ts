// Hosts two plugins: the first never finishes loading, and the host stops as
// soon as it says so, as `jailthread stop` or SIGTERM would during start().
// Prints what the plugins and the host did; the test checks that the second
// plugin never starts and that the host exits by itself.
import { PluginHost } from 'jailthread';

const fixture = (name: string) => new URL(`../fixtures/plugins/${name}.js`, import.meta.url);
const host = new PluginHost({
  logger: ({ plugin, line }) => {
    process.stdout.write(`[${plugin}] ${line}\n`);
    if (line === 'loading') void host.stop().then(() => process.stdout.write('host stopped\n'));
  },
})
  .add({ name: 'slow', module: fixture('hangs-loading'), shutdownTimeout: 1 })
  .add({ name: 'steady', module: fixture('steady') });
await host.start();
process.stdout.write('start returned\n');
