import { PassThrough } from 'node:stream';
import { expect } from 'chai';
import { keepStderrTail } from '../src/host/stderr-tail.js';

// Pure: what a starting child's stderr leaves for its start error.
describe("stderr tail: the end of a starting child's stderr", () => {
  it('keeps the last characters, whole, however the bytes were split', () => {
    const stream = new PassThrough();
    const tail = keepStderrTail(stream, 8);
    const bytes = Buffer.from('start … middle – end ✓');
    for (const byte of bytes) stream.write(Buffer.of(byte));
    expect(tail.text()).to.equal(' – end ✓');
  });

  it('costs time linear in the bytes: 2 MiB written one byte at a time, with a 1 MiB tail', function () {
    this.timeout(120_000);
    const stream = new PassThrough();
    const tail = keepStderrTail(stream, 2 ** 20);
    const started = performance.now();
    const byte = Buffer.of(0x78);
    for (let i = 0; i < 2 * 2 ** 20; i++) stream.write(byte);
    // Measured here: 0.8 s; twice these bytes once took 12 s at a load average of 17 to 28. Copying the kept tail for every chunk, as it
    // once did, copies 10^12 bytes: minutes at the least. The bound sits between the two, far from both.
    expect(performance.now() - started).to.be.below(60_000);
    expect(tail.text()).to.have.length(2 ** 20);
  });

  it('keeps nothing once stopped', () => {
    const stream = new PassThrough();
    const tail = keepStderrTail(stream);
    stream.write('before');
    tail.stop();
    stream.write('after');
    expect(tail.text()).to.equal('');
  });
});
