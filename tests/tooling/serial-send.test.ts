// The course kernel serializes zeromq sends: a send while another is pending waits instead of failing with EBUSY.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { serializeSends } = require('../../kernel-setup/serial-send') as {
  serializeSends(proto: object, onError?: (err: Error) => void): boolean;
};

/** A socket like zeromq 6's: one pending send at a time, each taking a few milliseconds; a second one is rejected. */
class FakeSocket {
  sent: string[] = [];
  private busy = false;
  send(message: string): Promise<void> {
    if (this.busy) return Promise.reject(Object.assign(new Error('Socket is busy writing; only one send operation may be in progress at any time'), { code: 'EBUSY' }));
    if (message === 'boom') return Promise.reject(new Error('boom failed'));
    this.busy = true;
    return new Promise((resolve) => setTimeout(() => {
      this.busy = false;
      this.sent.push(message);
      resolve();
    }, 2));
  }
}

test('serialized, quick sends all go out, in order, and a failed send does not stop the next ones', async () => {
  // Precondition: unwrapped, the fake fails like zeromq — a second send while the first is pending is rejected.
  const raw = new FakeSocket();
  const pending = raw.send('a');
  await expect(raw.send('b')).rejects.toThrow(/busy writing/);
  await pending;
  class Patched extends FakeSocket {}
  const errors: string[] = [];
  expect(serializeSends(Patched.prototype, (err) => errors.push(err.message))).toBe(true);
  expect(serializeSends(Patched.prototype)).toBe(false); // once only
  const s = new Patched();
  const other = new Patched(); // its own queue
  const messages = Array.from({ length: 20 }, (_, i) => (i === 7 ? 'boom' : `m${i}`));
  const done = messages.map((m) => s.send(m));
  await Promise.all([...done, other.send('x')]);
  expect(s.sent).toEqual(messages.filter((m) => m !== 'boom'));
  expect(other.sent).toEqual(['x']);
  expect(errors).toEqual(['boom failed']);
  // An idle socket sends at once (same tick), as before the patch.
  const t = new Patched();
  void t.send('now');
  expect((t as unknown as { busy: boolean }).busy).toBe(true);
});

test('the kernelspec runs the course kernel wrapper, which loads tslab with zeromq patched', () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const common = require('../../kernel-setup/common') as { kernelSpec(): { argv: string[] } };
  expect(common.kernelSpec().argv[1]).toMatch(/kernel-setup[\\/]tslab-kernel\.js$/);
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const zmq = require('zeromq') as { Publisher: { prototype: object }; Router: { prototype: object } };
  expect(serializeSends(zmq.Publisher.prototype)).toBe(true);
  expect(serializeSends(zmq.Publisher.prototype)).toBe(false);
  expect(serializeSends(zmq.Router.prototype)).toBe(true);
});
