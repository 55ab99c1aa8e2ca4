import type * as z from 'zod/mini';
import { type ChildBinding, slots } from '../context.js';
import { importModule } from '../dynamic-import.js';
import { ProtocolError, ThreadStateError } from '../errors.js';
import { processTitle } from '../names.js';
import { FrameChannel } from '../protocol/channel.js';
import { toErrorData } from '../protocol/error-data.js';
import type { FrameStream } from '../protocol/frame-stream.js';
import { type FrameWriter, postFrame } from '../protocol/frame-write.js';
import { type HostMessage, parseHostMessage } from '../protocol/host-message.js';
import type { InitFrame } from '../protocol/init-frame.js';
import { describeIssues } from '../protocol/issues.js';
import { printException } from '../report.js';
import { JailThread } from '../thread.js';
import type { ThreadView } from '../view.js';
import { type Answering, ChildExchange } from './exchange.js';
import { openFrameStream } from './fd-stream.js';
import { FrameOrder } from './frame-order.js';
import { pickClass } from './pick-class.js';
import { scavengeNow } from './scavenge.js';

type Control = Exclude<HostMessage, InitFrame>;

interface Runnable extends Answering {
  run(): Promise<void>;
  readonly daemon: boolean;
}

const noop = (): void => undefined;
const resolved = (): Promise<undefined> => Promise.resolve(undefined);

const SAMPLE_STATE = { name: 'spare', daemon: false, idle: false, sleeptime: 0, active: true, stopTimeout: 0 };

/**
 * One frame of each type a thread gets, for a spare to check ahead of its adoption. Not
 * `reply-error`: building ErrorData's schema left the spare enough garbage that its adoption paid
 * for a scavenge (warm start 2.5 -> 3.0 ms on Node 24). The init frame has an option and an
 * argument, as a thread's mostly do: checked with none, their checks ran cold at the adoption
 * (init frame to boot 205-264 -> 147-153 µs on Node 24).
 */
const SAMPLE_FRAMES: HostMessage[] = [
  {
    t: 'init',
    module: 'file:///warm-up.js',
    options: { sample: 0 },
    args: [0],
    state: SAMPLE_STATE,
  },
  { t: 'set', active: false },
  { t: 'request', id: 1, kind: 'status' },
  { t: 'request', id: 2, kind: 'ping' },
  { t: 'request', id: 3, kind: 'call', method: 'warm-up', input: null },
  { t: 'msg', data: null },
  { t: 'reply', id: 4, value: null },
];
/** How often a spare checks each sample: V8 compiles what runs often, and zod's parsing is ~0.4 ms slower on its first runs. */
const SAMPLE_ROUNDS = 10;

/** How long into run() a thread that has answered no request keeps the library's compiled code. */
const KEEP_CODE_AFTER_MS = 1000;

/** The child's end of the frame channel: the fd the host's spawn() set up as the child's stdio[3]. */
const CHANNEL_FD = 3;

/** Resolves once everything written to the stream so far has reached the OS. */
const flush = (stream: NodeJS.WriteStream): Promise<void> =>
  new Promise((resolve) => {
    if (stream.writableLength === 0) resolve();
    else stream.write('', () => resolve());
  });

/**
 * The child's side of one thread: receives the host's `init`, imports and
 * constructs the thread, runs it, mirrors state changes both ways, answers
 * status requests, and ends the process once `run()` has returned and its
 * last frames have been written.
 */
export class ChildRuntime {
  /** The module a spare imported before it was ready: an init frame naming it needs no import(), ~0.2 ms. */
  readonly #preloaded: { url: string; module: Record<string, unknown> } | undefined;
  #view: ThreadView | undefined;
  #thread: Runnable | undefined;
  #channel: FrameChannel<FrameStream> | undefined;
  #stopTimeout = 5000;
  /** Started as a spare: it tells the host when it has its init frame. */
  #spare = false;
  /** Decides what each of the host's frames does, and when. */
  readonly #order = new FrameOrder<InitFrame, Control>({
    check: (raw) => this.#accept(parseHostMessage(raw)),
    boot: (init) => void this.#boot(init),
    dispatch: (frame) => this.#dispatch(frame),
    secondInit: () => this.#report(new ProtocolError(`${this.#label()} received a second init frame; it was ignored.`)),
  });
  readonly #exchange = new ChildExchange({
    label: () => this.#label(),
    send: (frame, call) => this.#send(frame, call),
  });
  /** Keeps the library's compiled code for the next start (see EntryMark): called once, when a start has run it. */
  #keepCode: (() => void) | undefined;
  constructor(preloaded?: { url: string; module: Record<string, unknown> }, keepCode?: () => void) {
    this.#preloaded = preloaded;
    this.#keepCode = keepCode;
  }
  /** @param spare announce readiness: a pre-started child waiting to be adopted */
  listen(spare = false): void {
    let socket: FrameStream | undefined;
    try {
      socket = openFrameStream(CHANNEL_FD);
    } catch (error) {
      // No channel: stderr, which the host shows, is the only way to say why.
      const cause = error instanceof Error ? (error.stack ?? error.message) : String(error);
      process.stderr.write(`jailthread: the frame channel on fd ${CHANNEL_FD} could not be opened: ${cause}\n`);
      process.exitCode = 1;
      return;
    }
    if (socket === undefined) {
      process.stderr.write('jailthread: the worker entry runs only as a child started by JailThread.start().\n');
      process.exitCode = 1;
      return;
    }
    this.#channel = new FrameChannel(socket, {
      onFrame: (frame) => this.#order.receive(frame),
      onInvalid: (problem) =>
        this.#report(new ProtocolError(`${this.#label()} received from the host ${problem}; it was ignored.`)),
      onClose: () => this.#onDisconnect(),
    });
    this.#spare = spare;
    if (spare) this.#prepareSpare();
    // Ctrl-C reaches the whole process group; stopping threads is the host's
    // call, and a host that dies of it closes the channel, which stops them.
    process.on('SIGINT', noop);
  }

  /**
   * A spare has time: it builds the schemas of the frames a thread gets and
   * runs them a few times, before it says it is ready, rather than on the
   * init frame and the thread's first requests.
   */
  #prepareSpare(): void {
    for (let round = 0; round < SAMPLE_ROUNDS; round++) for (const frame of SAMPLE_FRAMES) parseHostMessage(frame);
    // And one throwaway instance, bound to nothing: V8 compiles the constructor's code (the options'
    // checks, the child's instance and its view) on its first run, ~0.2 ms of an adoption otherwise.
    slots.pending = { pid: process.pid, state: SAMPLE_STATE, send: resolved, request: resolved, attach: noop };
    try {
      new JailThread({ name: SAMPLE_STATE.name });
    } finally {
      slots.pending = undefined;
    }
    scavengeNow();
    // Not the code kept yet: an adopted spare keeps it after its thread's first answer, with the
    // start's and the request's code in it too.
    this.#send({ t: 'ready' }).catch(noop);
  }

  #keepCodeOnce(): void {
    const keep = this.#keepCode;
    this.#keepCode = undefined;
    keep?.();
  }

  #label(): string {
    return `thread "${this.#view?.name() ?? process.title.replace(/^jailthread: /, '')}" (pid ${process.pid})`;
  }

  readonly #writer: FrameWriter = {
    to: 'host',
    label: () => this.#label(),
    gone: (call) => this.#disconnected(call),
  };

  /** Resolves once the frame is written to the channel, so an exit after it loses nothing. */
  #send(frame: object, call = 'send()'): Promise<void> {
    return new Promise((resolve, reject) => {
      postFrame(this.#channel, false, frame, call, this.#writer, (error) =>
        error === null ? resolve() : reject(error),
      );
    });
  }

  #disconnected(call: string): ThreadStateError {
    return new ThreadStateError(`${call} of ${this.#label()} could not complete: the host has disconnected.`);
  }

  #report(error: Error): void {
    if (this.#view !== undefined) this.#view.report(error);
    else printException(this.#label(), error);
  }

  /** The frame, if it fits its schema; otherwise undefined, once it has been reported. */
  #accept<T>(parsed: z.core.util.SafeParseResult<T>): T | undefined {
    if (parsed.success) return parsed.data;
    this.#report(
      new ProtocolError(
        `${this.#label()} received a frame from the host outside the protocol (${describeIssues(parsed.error)}); it was ignored.`,
      ),
    );
    return undefined;
  }

  #dispatch(frame: Control): void {
    const view = this.#view as ThreadView;
    switch (frame.t) {
      case 'set': {
        const { t: _, ...patch } = frame;
        view.apply(patch);
        if (patch.active === false) this.#exchange.stopping();
        return;
      }
      case 'cancel':
        this.#exchange.cancelled(frame);
        return;
      case 'more':
        this.#exchange.more(frame);
        return;
      case 'msg':
        view.deliver(frame.data);
        return;
      case 'request': {
        const answered = this.#exchange.answer(this.#thread as Runnable, frame);
        // The first answer has run the request's code too: the code is kept once its reply is written.
        if (this.#keepCode !== undefined) {
          const later = () => void setImmediate(() => this.#keepCodeOnce());
          answered.then(later, later);
        }
        return;
      }
      case 'reply':
      case 'reply-error':
        this.#exchange.answered(frame);
        return;
    }
  }

  async #boot(init: InitFrame): Promise<void> {
    // Before the module is imported: a spare that dies before the host reads this was lost, not the thread's start.
    if (this.#spare) this.#send({ t: 'adopted' }).catch(noop);
    this.#stopTimeout = init.state.stopTimeout;
    process.title = processTitle(init.state.name);
    try {
      const preloaded = this.#preloaded;
      const Class = pickClass(
        preloaded?.url === init.module ? preloaded.module : await importModule(init.module),
        init,
      );
      const binding: ChildBinding = {
        pid: process.pid,
        state: init.state,
        send: (frame) => this.#send(frame),
        request: (method, input, timeout, signal) => this.#exchange.call(method, input, timeout, signal),
        attach: (view) => {
          this.#view = view;
        },
      };
      slots.pending = binding;
      try {
        this.#thread = Reflect.construct(Class, [init.options, ...init.args]) as Runnable;
      } finally {
        slots.pending = undefined;
      }
    } catch (error) {
      await this.#send({ t: 'start-failed', error: toErrorData(error) }).catch(noop);
      process.exit(1);
    }
    slots.current = this.#thread;
    if (!init.state.active) this.#view?.apply({ active: false });
    // Frames that came while this child was loading are handled before and
    // after run() is called, in the order they came (see FrameOrder).
    const running = this.#order.begin(
      () => {
        this.#send({ t: 'started' }).catch(noop);
        // A thread that is asked nothing keeps the code too, a while into its run.
        if (this.#keepCode !== undefined) setTimeout(() => this.#keepCodeOnce(), KEEP_CODE_AFTER_MS).unref();
        // Runs run() up to its first await before returning.
        return this.#run(this.#thread as Runnable);
      },
      (frame) => frame.t === 'set',
    );
    await running;
  }

  async #run(thread: Runnable): Promise<never> {
    let failed = false;
    try {
      await thread.run();
    } catch (error) {
      failed = true;
      await this.#send({ t: 'run-error', error: toErrorData(error) }).catch(noop);
    }
    let status: unknown;
    try {
      status = await thread.status();
      await this.#send({ t: 'finished', status }, 'status()');
    } catch (error) {
      await this.#send({ t: 'run-error', error: toErrorData(error) }).catch(noop);
      await this.#send({ t: 'finished', status: undefined }).catch(noop);
    }
    // Output the thread wrote may still be queued on its pipes; process.exit()
    // would drop it, so wait for both streams to drain first.
    await Promise.all([flush(process.stdout), flush(process.stderr)]);
    // Ends the thread whatever handles run() left open, as a returning
    // Python thread does; a process.exitCode the thread set is kept.
    process.exit(failed ? 1 : undefined);
  }

  /** The host is gone: stop the loop, and end the process if run() does not return in time. */
  #onDisconnect(): void {
    this.#exchange.rejectAll((call) => this.#disconnected(call));
    this.#exchange.stopping();
    if (this.#view === undefined) process.exit(0);
    this.#view.apply({ active: false });
    setTimeout(() => process.exit(), this.#stopTimeout).unref();
  }
}
