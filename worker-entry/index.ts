// The module JailThread.start() forks: kept to the runtime alone, since
// everything imported here is paid for on every thread's start-up.
import { ChildRuntime } from '../src/child/runtime.js';

new ChildRuntime().listen();
