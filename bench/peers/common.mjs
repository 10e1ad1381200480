// What the peers' scripts share: the clock, the payload with its two send times, the samples the receivers keep,
// and the command loop on stdin (one command per line, one answer line on stdout), as the Java children have.
import { createInterface } from "node:readline";
import { writeFileSync } from "node:fs";

/** CLOCK_MONOTONIC in nanoseconds: the clock of Java's System.nanoTime() on Linux, so stamps cross processes. */
export const now = () => process.hrtime.bigint();

/**
 * "<intended>:<actual>:" padded with "x" to `length` characters: the intended send time (the schedule) and the
 * moment the publish call was made.
 */
export function payload(intended, actual, length) {
  const head = `${intended}:${actual}:`;
  return head + "x".repeat(Math.max(0, length - head.length));
}

/** The length of the Java latency scenario's payload for this intended time: "<intended>:" and 44 x. */
export const latencyPayloadLength = (intended) => String(intended).length + 45;

/**
 * Receive − intended and receive − actual send, in nanoseconds, of every stamped message since the last reset,
 * kept as pairs of doubles; written to a file as little-endian float64 pairs for the Java harness, which puts them
 * into the same HdrHistograms as its own rows.
 */
export class Samples {
  constructor() {
    this.values = new Float64Array(1 << 20);
    this.size = 0;
    this.count = 0;
  }

  record(received, text) {
    this.count++;
    const first = text.indexOf(":");
    const second = first > 0 ? text.indexOf(":", first + 1) : -1;
    if (first <= 0 || second < 0 || first > 20 || second - first > 21) {
      return; // a throughput message: counted, not timed
    }
    const intended = BigInt(text.slice(0, first));
    const actual = BigInt(text.slice(first + 1, second));
    if (this.size + 2 > this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.size++] = Number(received - intended);
    this.values[this.size++] = Number(received - actual);
  }

  reset() {
    this.size = 0;
    this.count = 0;
  }

  /** Writes the pairs to `file`; returns how many pairs. */
  dump(file) {
    writeFileSync(file, new Uint8Array(this.values.buffer, 0, this.size * 8));
    return this.size / 2;
  }
}

/**
 * Reads commands from stdin, one per line, and prints each handler's answer (it may return a promise). QUIT runs
 * `onQuit` and ends the process. The harness waits for each answer before it sends the next command.
 */
export function serveCommands(handlers, onQuit) {
  const lines = createInterface({ input: process.stdin });
  let queue = Promise.resolve();
  lines.on("line", (line) => {
    queue = queue.then(async () => {
      const [name, ...args] = line.trim().split(/\s+/);
      if (name === "QUIT") {
        await onQuit();
        process.exit(0);
      }
      const handler = handlers[name];
      let answer;
      try {
        answer = handler ? await handler(...args) : `ERR unknown command ${name}`;
      } catch (e) {
        answer = `ERR ${String(e?.message ?? e).replace(/\s+/g, " ")}`;
      }
      process.stdout.write(answer + "\n");
    });
  });
  lines.on("close", async () => {
    await onQuit();
    process.exit(0);
  });
}
