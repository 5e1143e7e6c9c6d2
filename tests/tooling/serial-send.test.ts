// The course kernel serializes zeromq sends: a send while another is pending waits instead of failing with EBUSY;
// a send that fails or is dropped at the queue bound is counted (the runner's check fails the run on it).
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { serializeSends, newSendStats, maxQueuedFromEnv, DEFAULT_MAX_QUEUED } = require('../../kernel-setup/serial-send') as {
  serializeSends(proto: object, options?: ((err: Error) => void) | { onError?: (err: Error) => void; stats?: SendStats; maxQueued?: number }): boolean;
  newSendStats(): SendStats;
  maxQueuedFromEnv(env: Record<string, string | undefined>): number;
  DEFAULT_MAX_QUEUED: number;
};
interface SendStats { failed: number; dropped: number; lastError: string }

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
  const settled = await Promise.allSettled([...done, other.send('x')]);
  expect(s.sent).toEqual(messages.filter((m) => m !== 'boom'));
  expect(other.sent).toEqual(['x']);
  expect(errors).toEqual(['boom failed']);
  // The failed send's promise rejects (it used to resolve: only stderr heard of it); the others resolve.
  expect(settled.map((r) => r.status)).toEqual([...messages, 'x'].map((m) => (m === 'boom' ? 'rejected' : 'fulfilled')));
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

test('failed sends are counted, their promises reject without an unhandled rejection, and the queue is bounded', async () => {
  class Counted extends FakeSocket {}
  const stats = newSendStats();
  const errors: string[] = [];
  expect(serializeSends(Counted.prototype, { stats, maxQueued: 5, onError: (e) => errors.push(e.message) })).toBe(true);
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => { unhandled.push(reason); };
  process.on('unhandledRejection', onUnhandled);
  try {
    const s = new Counted();
    // Like tslab: ten sends in one tick, nobody awaiting them. The first goes out at once, five may wait, four are dropped.
    const sends = Array.from({ length: 10 }, (_, i) => s.send(`m${i}`));
    sends.push(s.send('boom')); // dropped as well: the queue is still full
    const settled = await Promise.allSettled(sends);
    expect(settled.map((r) => r.status)).toEqual([...Array(6).fill('fulfilled'), ...Array(5).fill('rejected')]);
    expect(s.sent).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
    expect(stats).toEqual({ failed: 5, dropped: 5, lastError: expect.stringMatching(/send queue is full \(5 messages waiting on one socket, COURSE_KERNEL_SEND_QUEUE\); this message was dropped/) });
    expect((settled[10] as PromiseRejectedResult).reason.code).toBe('EQUEUEFULL');
    // Once drained, the socket sends again; a send that fails in zeromq is counted, not dropped.
    await s.send('later');
    await expect(s.send('boom')).rejects.toThrow('boom failed');
    expect(s.sent).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'later']);
    expect([stats.failed, stats.dropped, stats.lastError]).toEqual([6, 5, 'boom failed']);
    expect(errors).toHaveLength(6);
    // Not awaited, like tslab's calls: no unhandled rejection reaches the process.
    void s.send('boom');
    await new Promise((r) => setTimeout(r, 20));
    expect(unhandled).toEqual([]);
    expect(stats.failed).toBe(7);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
  expect(maxQueuedFromEnv({ COURSE_KERNEL_SEND_QUEUE: '20' })).toBe(20);
  expect(maxQueuedFromEnv({ COURSE_KERNEL_SEND_QUEUE: 'lots' })).toBe(DEFAULT_MAX_QUEUED);
  expect(maxQueuedFromEnv({})).toBe(100000);
});
