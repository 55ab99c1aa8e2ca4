import Greeter from './greeter.js';

const thread = new Greeter();
await thread.start();
await thread.join();
process.stdout.write(await thread.getStatus());
