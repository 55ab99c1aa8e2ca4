// Hosts one plugin (argv[2] names its fixture) with handleSignals(), prints
// "ready PID" once it runs and "signal" after each SIGINT the host has seen,
// and forwards the plugin's lines: the test drives it with Ctrl-C.
import { PluginHost } from 'jailthread';

const host = new PluginHost({ logger: ({ line }) => process.stdout.write(`${line}\n`) }).add({
  name: 'plugin',
  module: new URL(`../fixtures/${process.argv[2]}.js`, import.meta.url),
  shutdownTimeout: 60_000,
});
host.handleSignals();
process.on('SIGINT', () => process.stdout.write('signal\n'));
await host.start();
const [row] = await host.status();
process.stdout.write(`ready ${row?.pid}\n`);
