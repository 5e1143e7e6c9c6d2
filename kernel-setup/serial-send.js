// One send at a time per zeromq socket, in call order.
//
// zeromq 6 allows one pending send per socket: a send issued while the previous one has not
// completed is rejected with EBUSY ("Socket is busy writing; only one send operation may be in
// progress at any time"). tslab 1.0 calls `send` without waiting, so a large output (an image
// grid, a Plotly figure) followed quickly by the next message — the "busy" status of the next cell
// — can lose that message and raise an unhandled rejection in the kernel (seen in CI on notebook 07).
// `serializeSends` wraps the prototype's `send` so that a send issued while another is pending
// waits for it; an idle socket still sends at once, as before.
'use strict';

/** The object on `proto`'s chain that owns `name`, or null. */
function ownerOf(proto, name) {
  for (let p = proto; p; p = Object.getPrototypeOf(p)) {
    if (Object.prototype.hasOwnProperty.call(p, name)) return p;
  }
  return null;
}

const WRAPPED = Symbol.for('ai-course.serialSend');

/**
 * Serialize `send` for every socket created from `proto` (e.g. `zmq.Publisher.prototype`).
 * `onError(err)` receives a failed send (the next sends still go out). Returns false when there
 * was no `send` to wrap or it was wrapped already.
 */
function serializeSends(proto, onError) {
  const owner = ownerOf(proto, 'send');
  if (!owner || typeof owner.send !== 'function' || owner.send[WRAPPED]) return false;
  const original = owner.send;
  const tails = new WeakMap(); // socket → promise of its last queued send
  const report = onError || ((err) => process.stderr.write(`[course kernel] a zeromq send failed: ${err && err.message}\n`));
  function send(...args) {
    const run = () => original.apply(this, args);
    const previous = tails.get(this);
    const result = previous ? previous.then(run) : runNow(run);
    const tail = result.then(() => undefined, report).then(() => {
      if (tails.get(this) === tail) tails.delete(this);
    });
    tails.set(this, tail);
    return tail;
  }
  send[WRAPPED] = true;
  // zeromq's native `send` is read-only on its base class: shadow it on `proto` itself.
  Object.defineProperty(proto, 'send', { value: send, writable: true, configurable: true, enumerable: false });
  return true;
}

/** Call `run` now; a synchronous throw becomes a rejected promise. */
function runNow(run) {
  try {
    return Promise.resolve(run());
  } catch (err) {
    return Promise.reject(err);
  }
}

module.exports = { serializeSends };
