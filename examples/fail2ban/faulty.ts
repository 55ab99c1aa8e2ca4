import { JailThread } from 'jailthread';

/**
 * A deliberately faulty plugin for the demo: it works for a few ticks, then
 * throws, so the plugin host's crash, backoff and restart show.
 */
export default class Faulty extends JailThread<{ ticks: number; crashesAfter: number }> {
  static override readonly module = import.meta.url;
  readonly #crashesAfter: number;
  #ticks = 0;

  constructor(options: object, crashesAfter = 8) {
    super(options);
    this.#crashesAfter = crashesAfter;
  }

  override async run(): Promise<void> {
    while (this.active) {
      if (!this.idle && ++this.#ticks >= this.#crashesAfter) {
        throw new Error(`faulty plugin gave up after ${this.#ticks} ticks, on purpose`);
      }
      await this.sleep();
    }
  }

  override status() {
    return { ticks: this.#ticks, crashesAfter: this.#crashesAfter };
  }
}
