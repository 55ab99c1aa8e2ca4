/** Resolves once `emitter` has emitted `count` 'message' events, counted from `trigger()` on. */
export function untilMessages(emitter, count, trigger) {
  let seen = 0;
  return new Promise((resolve) => {
    const listener = () => {
      if (++seen === count) {
        emitter.off('message', listener);
        resolve();
      }
    };
    emitter.on('message', listener);
    trigger();
  });
}
