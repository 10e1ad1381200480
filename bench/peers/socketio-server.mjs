// One socket.io server with the Redis adapter: the peer of the Java harness's WsServer in the ws scenario.
//   node socketio-server.mjs <redis url>
// Listens on a free port of 127.0.0.1 and prints "READY <port>"; QUIT on stdin stops it.
// A client connecting with ?room=<r> joins room <r> (the receiving client, on server B); an event "m" from a client
// connecting with ?to=<r> is emitted to room <r> on every server (the sending client, on server A, in no room), so
// it goes server A → Redis → server B → the clients in the room, as a message through the library's endpoints does.
import { createServer } from "node:http";
import { Server } from "socket.io";
import { createAdapter } from "@socket.io/redis-adapter";
import { createClient } from "redis";
import { serveCommands } from "./common.mjs";

const [url] = process.argv.slice(2);
const pubClient = createClient({ url });
const subClient = pubClient.duplicate();
// to the log (bench/target/logs): e.g. Redis closing a subscriber that fell behind (client-output-buffer-limit)
pubClient.on("error", (e) => console.error(`publisher connection: ${e.message}`));
subClient.on("error", (e) => console.error(`subscriber connection: ${e.message}`));
await Promise.all([pubClient.connect(), subClient.connect()]);

const http = createServer();
// the channel prefix "bench:socket.io" keeps it in the harness's namespace
const io = new Server(http, { adapter: createAdapter(pubClient, subClient, { key: "bench:socket.io" }) });
io.on("connection", (socket) => {
  const { room, to } = socket.handshake.query;
  if (room) {
    socket.join(room);
  }
  if (to) {
    socket.on("m", (data) => io.to(to).emit("m", data));
  }
});
await new Promise((resolve) => http.listen(0, "127.0.0.1", resolve));

serveCommands({}, async () => {
  io.close();
  await Promise.allSettled([pubClient.quit(), subClient.quit()]);
});
process.stdout.write(`READY ${http.address().port}\n`);
