#!/usr/bin/env node
// The executable (bundled as dist/cli.js); main() is separate so tests can
// drive the command line without it running on import.
import { droppedOutputLines, safeWrite } from '../host-streams.js';
import { main } from './main.js';

// `jailthread run | head -3`: once the reader is gone, output is dropped and
// counted, and the host and its plugins go on.
const io = {
  stdout: { write: (text: string) => safeWrite(process.stdout, text) },
  stderr: { write: (text: string) => safeWrite(process.stderr, text) },
};
process.exitCode = await main(process.argv.slice(2), io);
const dropped = droppedOutputLines();
if (dropped > 0)
  safeWrite(process.stderr, `jailthread: ${dropped} lines of output could not be written and were dropped\n`);
