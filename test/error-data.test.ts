import { expect } from 'chai';
import * as errors from '../src/errors.js';
import { ValidationError } from '../src/errors.js';
import { type ErrorData, fromErrorData, MAX_CAUSE_DEPTH, MAX_ISSUES, toErrorData } from '../src/protocol/error-data.js';

// Pure: the two ends of an error's crossing, without a process. The classes
// checked are the source's own, compiled next to this test.
describe('error data: what crosses, and what an untrusted sender can make the receiver build', () => {
  it('a round trip keeps class, code, permission, resource, issues and the cause chain', () => {
    const denied = Object.assign(new Error('Access to this API has been restricted'), {
      code: 'ERR_ACCESS_DENIED',
      permission: 'FileSystemRead',
      resource: '/etc/shadow',
    });
    const error = new TypeError('outer', { cause: denied });
    const back = fromErrorData(toErrorData(error));
    expect(back).to.be.instanceOf(TypeError);
    expect(back.message).to.equal('outer');
    expect(back.cause).to.include({
      message:
        "Access to this API has been restricted (denied: FileSystemRead of /etc/shadow; a plugin host grants it with sandbox.read in the plugin's spec)",
      code: 'ERR_ACCESS_DENIED',
      permission: 'FileSystemRead',
      resource: '/etc/shadow',
    });
    expect(Object.keys(back), 'cause is not enumerable, as with new Error(message, { cause })').to.not.include('cause');
  });

  it('every error class of the library crosses as itself, and none is left out of the table', () => {
    type ErrorClass = new (message: string) => Error;
    const classes = (Object.values(errors) as unknown[]).filter(
      (value): value is ErrorClass => typeof value === 'function' && value.prototype instanceof Error,
    );
    expect(Object.values(errors.ERROR_CLASSES)).to.have.members(classes);
    for (const Class of classes) {
      const back = fromErrorData(toErrorData(new Class('crossed')));
      expect(back).to.be.instanceOf(Class);
      expect(back).to.include({ name: Class.name, message: 'crossed' });
    }
  });

  it("a schema library's issues (path as keys) cross as { path, message }", () => {
    const error = Object.assign(new Error('bad'), {
      issues: [{ path: ['a', 0, { key: 'b' }], message: 'wrong' }, 'not an issue'],
    });
    expect(fromErrorData(toErrorData(error))).to.deep.include({ issues: [{ path: 'a.0.b', message: 'wrong' }] });
  });

  it('a sender that ignores the limits is cut to them on arrival', () => {
    const issues = Array.from({ length: 10_000 }, (_, at) => ({ path: String(at), message: 'x' }));
    let data: ErrorData = { name: 'ValidationError', message: 'deep', issues };
    for (let depth = 0; depth < 1_000; depth++) data = { name: 'Error', message: `level ${depth}`, cause: data };
    let error: unknown = fromErrorData(data);
    let levels = 0;
    while ((error as Error).cause !== undefined) {
      error = (error as Error).cause;
      levels++;
    }
    expect(levels).to.equal(MAX_CAUSE_DEPTH);
    const validation = fromErrorData({ name: 'ValidationError', message: 'many', issues });
    expect(validation).to.be.instanceOf(ValidationError);
    expect((validation as ValidationError).issues).to.have.length(MAX_ISSUES);
  });

  it('a malformed cause or an object that is not an error is dropped, not trusted', () => {
    expect(fromErrorData({ name: 'Error', message: 'm', cause: { name: 42 } }).cause).to.equal(undefined);
    expect(toErrorData(new Error('m', { cause: { handle: () => 1 } })).cause).to.equal(undefined);
    expect(fromErrorData({ name: 'Error', message: 'm', cause: 'why' }).cause).to.equal('why');
  });
});
