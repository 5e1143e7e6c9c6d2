// @ts-check
// One send at a time per zeromq socket, in call order; failed and dropped sends counted.
//
// zeromq 6 allows one pending send per socket: a send issued while the previous one has not
// completed is rejected with EBUSY ("Socket is busy writing; only one send operation may be in
// progress at any time"). tslab 1.0 calls `send` without waiting, so a large output (an image
// grid, a Plotly figure) followed quickly by the next message — the "busy" status of the next cell
// — can lose that message and raise an unhandled rejection in the kernel (seen in CI on notebook 07).
// `serializeSends` wraps the prototype's `send` so that a send issued while another is pending
// waits for it; an idle socket still sends at once, as before.
//
// A send that fails is not hidden: the promise `send` returns rejects (marked handled, so tslab,
// which never awaits it, raises no unhandled rejection), `stats.failed` counts it and `onError`
// hears of it. The course kernel (tslab-kernel.js) exposes its stats to notebook code, and the
// headless runner's check after every cell fails the run when the count grew: a lost output or
// reply is a failed run, not a line on the kernel's stderr.
//
// A socket's `bind` and `unbind` join the same queue: zeromq 6 also rejects a send issued while a bind is in
// progress ("Socket is blocked by a bind or unbind operation"), and tslab binds its five sockets concurrently
// after starting to read from them — a request that arrives on the shell socket before the iopub socket is
// bound makes tslab publish a status on iopub mid-bind (seen in CI: 4 messages lost before the first cell).
// With the wrap, such a send waits for the bind; a failed bind still rejects for its caller. `close` joins the queue
// too: at shutdown tslab publishes 'busy', replies, publishes 'idle' and closes its sockets in one go, so the queued
// 'idle' used to meet a closed socket ("Socket is closed", reported on every kernel shutdown); now the socket closes
// after the sends queued before it.
//
// A publisher whose subscriber reads slowly (Jupyter's client, on a loaded machine) fills its pipe: past the
// send high-water mark zeromq's PUB socket drops messages *silently* (a 1,000-line print burst lost outputs in
// CI that way, with no error anywhere). The course kernel sets `noDrop` on iopub, which turns a full pipe into
// an EAGAIN error, and `serializeSends` retries such a send after a short wait (1 ms, doubling to 50 ms) for up
// to `retryFullFor` ms (default 120,000): back-pressure instead of loss. Only past that deadline does the send
// fail — counted, like every failure.
//
// The queue is bounded: at most `maxQueued` sends wait per socket (default 100,000, or
// COURSE_KERNEL_SEND_QUEUE). A send past the bound is not queued: it is dropped at once, counted as
// failed (code EQUEUEFULL) and its promise rejects, so memory stays bounded even when a cell prints
// in a loop faster than the socket drains — and the run fails instead of silently losing output.
'use strict';
const fs = require('fs');

/**
 * The object on `proto`'s chain that owns `name`, or null.
 * @param {any} proto
 * @param {string} name
 * @returns {any}
 */
function ownerOf(proto, name) {
  for (let p = proto; p; p = Object.getPrototypeOf(p)) {
    if (Object.prototype.hasOwnProperty.call(p, name)) return p;
  }
  return null;
}

const WRAPPED = Symbol.for('ai-course.serialSend');
const DEFAULT_MAX_QUEUED = 100000;
const DEFAULT_RETRY_FULL_MS = 120000;

/**
 * @typedef {{ failed: number, dropped: number, lastError: string }} SendStats
 *   failed: sends that failed or were dropped (dropped ones included); dropped: sends refused at the queue bound.
 */

/** A fresh stats object. @returns {SendStats} */
function newSendStats() {
  return { failed: 0, dropped: 0, lastError: '' };
}

/** The queue bound from COURSE_KERNEL_SEND_QUEUE (a positive integer), else the default. */
function maxQueuedFromEnv(env = process.env) {
  const n = Number(env.COURSE_KERNEL_SEND_QUEUE);
  return Number.isInteger(n) && n > 0 ? n : DEFAULT_MAX_QUEUED;
}

/**
 * Report a failed send on the process's real stderr (fd 2). Not `process.stderr.write`: tslab
 * redirects that to the iopub socket, so a report of a failed send would itself be a send — and
 * at the queue bound, dropped and reported again, without end. Only the 1st, 10th, 100th, …
 * failure is written; the count is in the stats.
 * @param {Error & { code?: string }} err
 * @param {SendStats} stats
 */
function reportToStderr(err, stats) {
  const n = stats.failed;
  if (!/^10*$/.test(String(n))) return;
  try {
    fs.writeSync(2, `[course kernel] a zeromq send failed (${n} so far): ${err && err.message}\n`);
  } catch {
    // no stderr: the count is still in the stats
  }
}

/**
 * Serialize `send` for every socket created from `proto` (e.g. `zmq.Publisher.prototype`).
 * `options` is either `onError(err)` or `{ onError, stats, maxQueued }`: every failed or dropped
 * send increments `stats` (shared by every socket of `proto`; pass one object to several protos to
 * count them together) and is passed to `onError` (default: a line on fd 2). The next sends still
 * go out. Returns false when there was no `send` to wrap or it was wrapped already.
 *
 * @example
 *   const stats = newSendStats();
 *   serializeSends(zmq.Publisher.prototype, { stats, maxQueued: 1000 });
 *   // … later: stats.failed === 0 when every message went out
 * @param {object} proto
 * `socketOptions` (e.g. `{ noDrop: true }`) are set on each socket just before its first bind.
 * @param {((err: Error) => void) | { onError?: (err: Error) => void, stats?: SendStats, maxQueued?: number, retryFullFor?: number, socketOptions?: Record<string, unknown> }} [options]
 * @returns {boolean}
 */
function serializeSends(proto, options) {
  const opts = typeof options === 'function' ? { onError: options } : options || {};
  const stats = opts.stats || newSendStats();
  const maxQueued = opts.maxQueued || DEFAULT_MAX_QUEUED;
  const retryFullFor = opts.retryFullFor ?? DEFAULT_RETRY_FULL_MS;
  const socketOptions = opts.socketOptions || {};
  const onError = opts.onError || ((/** @type {Error} */ err) => reportToStderr(err, stats));
  const owner = ownerOf(proto, 'send');
  if (!owner || typeof owner.send !== 'function' || owner.send[WRAPPED]) return false;
  const original = owner.send;
  /** @typedef {{ tail: Promise<void> | null, waiting: number }} Queue */
  /** @type {WeakMap<object, Queue>} socket → its queue: the promise of its last send (never rejects) and how many sends wait behind it. */
  const queues = new WeakMap();
  /** @param {object} socket @returns {Queue} the socket's queue, created on first use */
  const queueOf = (socket) => {
    let queue = queues.get(socket);
    if (!queue) {
      queue = { tail: null, waiting: 0 };
      queues.set(socket, queue);
    }
    return queue;
  };
  /**
   * Make `step` the last operation of `queue`: what comes next waits for it, whether it succeeds or fails; when it
   * settles and nothing was queued after it, the queue is idle again (the next operation runs at once).
   * @param {Queue} queue
   * @param {Promise<unknown>} step
   */
  const setTail = (queue, step) => {
    const tail = step.then(() => undefined, () => undefined);
    queue.tail = tail;
    tail.then(() => {
      if (queue.tail === tail) queue.tail = null;
    });
  };
  /** @param {any} err */
  const fail = (err) => {
    stats.failed++;
    stats.lastError = String((err && err.message) || err);
    try {
      onError(err);
    } catch {
      // a failing reporter must not break the queue
    }
  };
  /**
   * @this {object}
   * @param {...unknown} args
   * @returns {Promise<void>}
   */
  function send(...args) {
    const queue = queueOf(this);
    if (queue.waiting >= maxQueued) {
      const err = Object.assign(new Error(`the kernel's send queue is full (${maxQueued} messages waiting on one socket, ` +
        'COURSE_KERNEL_SEND_QUEUE); this message was dropped'), { code: 'EQUEUEFULL' });
      stats.dropped++;
      fail(err);
      return handled(Promise.reject(err));
    }
    const run = () => retryWhileFull(() => original.apply(this, args), retryFullFor);
    /** @type {Promise<unknown>} */
    let result;
    const previous = queue.tail;
    if (previous) {
      queue.waiting++;
      result = previous.then(() => {
        queue.waiting--;
        return run();
      });
    } else {
      result = runNow(run);
    }
    const outcome = result.then(() => undefined, (/** @type {unknown} */ err) => {
      fail(err);
      throw err;
    });
    setTail(queue, outcome); // the next send waits for this one, whether it worked or not
    return handled(outcome);
  }
  Object.defineProperty(send, WRAPPED, { value: true });
  for (const name of ['bind', 'unbind', 'close']) {
    const methodOwner = ownerOf(proto, name);
    if (!methodOwner || typeof methodOwner[name] !== 'function') continue;
    const originalMethod = methodOwner[name];
    /**
     * @this {object}
     * @param {...unknown} args
     * @returns {unknown} bind/unbind: their promise; close: nothing
     */
    const wrapped = function (...args) {
      const queue = queueOf(this);
      if (name === 'bind') Object.assign(this, socketOptions);
      const run = () => originalMethod.apply(this, args);
      if (name === 'close') {
        // Synchronous in zeromq and never awaited by tslab: close now when idle, else after the sends already queued.
        if (!queue.tail) return run();
        setTail(queue, queue.tail.then(run));
        return undefined;
      }
      const result = queue.tail ? queue.tail.then(run) : runNow(run);
      setTail(queue, result); // sends wait for the bind, whether it worked or not
      return result; // a failed bind rejects for its caller, as before
    };
    Object.defineProperty(proto, name, { value: wrapped, writable: true, configurable: true, enumerable: false });
  }
  // zeromq's native `send` is read-only on its base class: shadow it on `proto` itself.
  Object.defineProperty(proto, 'send', { value: send, writable: true, configurable: true, enumerable: false });
  return true;
}

/**
 * Mark a promise as handled (no unhandledRejection when nobody awaits it) and return it, still rejecting for those who do.
 * @template T
 * @param {Promise<T>} promise
 * @returns {Promise<T>}
 */
function handled(promise) {
  promise.catch(() => undefined);
  return promise;
}

/**
 * Call `send` (now, in this tick); while it fails with EAGAIN (the peer's pipe is full), call it again after
 * 1, 2, 4, … 50 ms, until `retryMs` have passed. Any other error, or EAGAIN past the deadline, rejects.
 * @param {() => unknown} send
 * @param {number} retryMs
 * @returns {Promise<unknown>}
 */
async function retryWhileFull(send, retryMs) {
  const deadline = Date.now() + retryMs;
  for (let wait = 1; ; wait = Math.min(wait * 2, 50)) {
    try {
      return await send();
    } catch (err) {
      if (!err || /** @type {{ code?: string }} */ (err).code !== 'EAGAIN' || Date.now() >= deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/**
 * Call `run` now; a synchronous throw becomes a rejected promise.
 * @param {() => unknown} run
 * @returns {Promise<unknown>}
 */
function runNow(run) {
  try {
    return Promise.resolve(run());
  } catch (err) {
    return Promise.reject(err);
  }
}

module.exports = { serializeSends, newSendStats, maxQueuedFromEnv, DEFAULT_MAX_QUEUED, DEFAULT_RETRY_FULL_MS };
