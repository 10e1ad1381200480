// The receiving process of the ws-kit peer: subscribes with @ws-kit/redis-pubsub and records, for each message,
// receive − intended and receive − actual send time (both stamps are in front of the payload).
//   node wskit-receiver.mjs <redis url> <channel>
// Commands: COUNT → "COUNT <n>"; RESET → "OK"; DUMP <file> → "DUMPED <timed messages>" (float64 pairs, see
// common.mjs); QUIT.
import { createRedisPubSub } from "@ws-kit/redis-pubsub";
import { now, Samples, serveCommands } from "./common.mjs";

const [url, channel] = process.argv.slice(2);
const pubsub = createRedisPubSub({ url, namespace: "bench", serializer: "text" });
const samples = new Samples();
await pubsub.subscribe(channel, (message) => samples.record(now(), message)).ready;

serveCommands(
  {
    COUNT: () => `COUNT ${samples.count}`,
    RESET: () => {
      samples.reset();
      return "OK";
    },
    DUMP: (file) => `DUMPED ${samples.dump(file)}`,
  },
  () => pubsub.close(),
);
process.stdout.write("READY\n");
