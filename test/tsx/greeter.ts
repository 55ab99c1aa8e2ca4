import { JailThread } from 'jailthread';

// Run from source under `node --import tsx`: the child must get the loader
// too, or it could not import this file.
export default class Greeter extends JailThread<string> {
  static override readonly module = import.meta.url;
  override async run(): Promise<void> {}
  override status(): string {
    return `typescript ran in pid ${process.pid}, ${process.execArgv.join(' ')}`;
  }
}
