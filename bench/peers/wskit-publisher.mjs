// The publishing process of the ws-kit peer (@ws-kit/redis-pubsub): the Java harness says what to send, this
// process publishes it with ws-kit, the receiving process (wskit-receiver.mjs) times it.
//   node wskit-publisher.mjs <redis url> <channel>
// Commands (one answer line each):
//   RATE <msg/s> <seconds>         fixed rate, paced like the Java latency scenario; each payload carries its
//                                   intended and its actual send time → "SENT <n> <failed>" once all settled
//   BURST <n> <bytes> <in flight>  as fast as ws-kit takes them, at most <in flight> unsettled
//                                   → "DONE <n> <nanoseconds until all settled> <failed>"
//   QUIT
import { createRedisPubSub } from "@ws-kit/redis-pubsub";
import { now, payload, latencyPayloadLength, serveCommands } from "./common.mjs";

const [url, channel] = process.argv.slice(2);
const pubsub = createRedisPubSub({ url, namespace: "bench", serializer: "text" });
await pubsub.connect();

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * Blocks until `intended`, as the Java harness's waitUntil does: sleeps until 50 µs before, spins the rest. Called
 * only for waits below 1.5 ms; longer ones go through a timer so that the event loop stays free.
 */
function waitUntil(intended) {
  let left;
  while ((left = intended - now()) > 0n) {
    if (left > 60_000n) {
      Atomics.wait(sleeper, 0, 0, Number(left - 50_000n) / 1e6);
    }
  }
}

function fixedRate(rate, seconds) {
  const period = 1_000_000_000n / BigInt(rate);
  const total = rate * seconds;
  const start = now() + 10_000_000n;
  let sent = 0;
  let settled = 0;
  let failed = 0;
  return new Promise((resolve) => {
    const done = () => {
      if (++settled === total) {
        resolve(`SENT ${total} ${failed}`);
      }
    };
    const step = () => {
      const intended = start + BigInt(sent) * period;
      waitUntil(intended);
      pubsub.publish(channel, payload(intended, now(), latencyPayloadLength(intended))).then(done, () => {
        failed++;
        done();
      });
      if (++sent === total) {
        return;
      }
      // the event loop gets a turn after every publish: ws-kit's client writes in it, and reads the replies
      const wait = start + BigInt(sent) * period - now();
      if (wait > 1_500_000n) {
        setTimeout(step, Number(wait / 1_000_000n) - 1);
      } else {
        setImmediate(step);
      }
    };
    step();
  });
}

function burst(n, bytes, inFlight) {
  const text = "x".repeat(bytes);
  let issued = 0;
  let settled = 0;
  let failed = 0;
  const start = now();
  return new Promise((resolve) => {
    const fill = () => {
      while (issued - settled < inFlight && issued < n) {
        issued++;
        pubsub.publish(channel, text).then(done, () => {
          failed++;
          done();
        });
      }
    };
    const done = () => {
      settled++;
      if (settled === n) {
        resolve(`DONE ${n} ${now() - start} ${failed}`);
      } else if (issued - settled < inFlight / 2) {
        fill();
      }
    };
    fill();
  });
}

serveCommands(
  {
    RATE: (rate, seconds) => fixedRate(Number(rate), Number(seconds)),
    BURST: (n, bytes, inFlight) => burst(Number(n), Number(bytes), Number(inFlight)),
  },
  () => pubsub.close(),
);
process.stdout.write("READY\n");
