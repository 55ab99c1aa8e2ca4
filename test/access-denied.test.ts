import { expect } from 'chai';
import { fromErrorData, toErrorData } from '../src/protocol/error-data.js';

// Pure: the host's rebuilt ERR_ACCESS_DENIED names what was denied and the spec field that grants it.
const denial = (message: string, fields: object) =>
  Object.assign(new Error(message), { code: 'ERR_ACCESS_DENIED', ...fields });

describe('access denied: the rebuilt error says what was denied and how to grant it', () => {
  it('names the permission, the resource and the spec field, in the message and the stack', () => {
    const back = fromErrorData(
      toErrorData(
        denial('Access to this API has been restricted. Use --allow-fs-write to manage permissions.', {
          permission: 'FileSystemWrite',
          resource: '/srv/out.txt',
        }),
      ),
    );
    const explained =
      "(denied: FileSystemWrite of /srv/out.txt; a plugin host grants it with sandbox.write in the plugin's spec)";
    expect(back.message.endsWith(explained)).to.equal(true);
    expect(
      back.stack?.split('\n')[0]?.endsWith(explained),
      'util.inspect and uncaught errors print the stack',
    ).to.equal(true);
  });

  it("a connection refused on Node 25+ (no permission field) is named from Node's message", () => {
    const back = fromErrorData(
      toErrorData(
        denial(
          'connect ERR_ACCESS_DENIED Access to this API has been restricted. Use --allow-net to manage permissions.',
          {},
        ),
      ),
    );
    expect(back.message).to.match(/\(denied: Net; a plugin host grants it with sandbox\.net in the plugin's spec\)$/);
  });

  it('is explained once, however often the error crosses', () => {
    let error: Error = denial('Access to this API has been restricted.', {
      permission: 'ChildProcess',
      resource: 'ls',
    });
    for (let i = 0; i < 3; i++) error = fromErrorData(toErrorData(error));
    expect(error.message.match(/\(denied: /g)).to.have.length(1);
  });

  it('leaves other errors as they were', () => {
    const back = fromErrorData(
      toErrorData(Object.assign(new Error('Use --allow-net to manage permissions'), { code: 'X' })),
    );
    expect(back.message).to.equal('Use --allow-net to manage permissions');
  });
});
