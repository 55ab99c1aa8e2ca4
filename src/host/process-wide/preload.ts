/** The worker entry's argv[3] for a spare that preloads argv[2] (a cold start's child gets argv[2] alone). */
const SPARE_MARK = '--spare';

/**
 * A spare's arguments: none, or the module it imports before it says it is
 * ready and the mark. The worker entry reads them (worker-entry/index.ts).
 */
export const spareArgs = (preload: string | undefined): string[] =>
  preload === undefined ? [] : [preload, SPARE_MARK];

/**
 * The module `Subclass.prewarm()` preloads: the subclass's own `static module`,
 * as start() reads it; none for `JailThread.prewarm()` itself, whose spares
 * serve any thread.
 */
export function preloadOf(
  ctor: { readonly name: string; readonly module?: string | undefined },
  base: boolean,
): string | undefined {
  if (base) return undefined;
  if (!Object.hasOwn(ctor, 'module') || typeof ctor.module !== 'string') {
    throw new TypeError(
      `${ctor.name}.prewarm(): ${ctor.name} does not say where it lives, so its spares cannot import it; add \`static override readonly module = import.meta.url;\` to the class, or call JailThread.prewarm() for spares that preload nothing.`,
    );
  }
  return ctor.module;
}
