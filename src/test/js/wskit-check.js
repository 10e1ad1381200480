// Checks wskit.js against two running instances of a history-room endpoint (started by WskitJsIT):
//   node wskit-check.js <ws url of instance 1> <ws url of instance 2> <room>
// with the npm package "ws" on NODE_PATH. Prints "WSKIT.JS PASSED" and exits 0, or prints why and exits 1.
'use strict';
const WebSocket = require('ws');
const wskit = require(process.env.WSKIT_JS);

const [url1, url2, room] = process.argv.slice(2);
const deadline = setTimeout(() => fail('timed out'), 30000);

function fail(why) {
  console.log('WSKIT.JS FAILED: ' + why);
  process.exit(1);
}

/** A raw sender on instance 2: sends texts, resolves when they came back to it. */
function say(texts) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url2);
    let back = 0;
    ws.on('message', data => {
      const f = JSON.parse(String(data));
      if (f.type === 'subscribed') {
        texts.forEach(t => ws.send(t));
      } else if (f.type === 'message' && ++back === texts.length) {
        ws.close();
        resolve();
      }
    });
    ws.on('error', reject);
  });
}

function next(client, type) {
  return new Promise(resolve => {
    const off = client.on(type, (...args) => {
      off();
      resolve(args);
    });
  });
}

/** Closes that end reconnecting: 1008 always; an application's own code (4403) when shouldReconnect says so. */
async function refusals() {
  const refused = url1.replace(/[^/]*$/, 'refused-' + room);
  // by default only 1008 ends it: after 4403 the client tries again
  const r1 = wskit.connect(refused, {WebSocket, minDelay: 50, maxDelay: 200});
  const [c1] = await next(r1, 'close');
  r1.close();
  if (c1.code !== 4403 || !c1.reconnecting || typeof c1.delay !== 'number') {
    fail('a 4403 close without shouldReconnect: ' + JSON.stringify(c1));
  }
  // the page's shouldReconnect sees the close and says no
  const asked = [];
  const r2 = wskit.connect(refused, {WebSocket, minDelay: 50, maxDelay: 200, shouldReconnect: c => {
    asked.push(c.code + ' ' + c.reason);
    return c.code !== 4403;
  }});
  const [c2] = await next(r2, 'close');
  if (c2.code !== 4403 || c2.reconnecting || c2.delay !== null || r2.connected()) {
    fail('a 4403 close with shouldReconnect saying no: ' + JSON.stringify(c2));
  }
  if (JSON.stringify(asked) !== JSON.stringify(['4403 room refused-' + room + ' is not open'])) {
    fail('shouldReconnect was asked ' + JSON.stringify(asked));
  }
  // an invalid position is refused with 1008: never again with the same URL
  const r3 = wskit.connect(url1, {WebSocket, minDelay: 50, maxDelay: 200,
    positions: {[room]: {offset: 1, epoch: 'not an epoch!'}}});
  const [c3] = await next(r3, 'close');
  if (c3.code !== 1008 || c3.reconnecting || c3.delay !== null) {
    fail('a 1008 close: ' + JSON.stringify(c3));
  }
}

(async () => {
  const got = [];
  const events = [];
  // instance 1, then a drop: wskit.js reconnects by itself (to the same URL) and resumes
  const a = wskit.connect(url1, {WebSocket, minDelay: 50, maxDelay: 200});
  a.on('message', (data, m) => got.push(data + '@' + m.offset));
  ['subscribed', 'recovered', 'not-recovered', 'lost'].forEach(t => a.on(t, () => events.push(t)));
  await next(a, 'subscribed');
  await say(['m1', 'm2']);
  while (got.length < 2) {
    await next(a, 'message');
  }
  const closed = next(a, 'close');
  a.drop();
  const [info] = await closed;
  if (!info.reconnecting) {
    fail('no reconnect after a drop');
  }
  // the first attempt waits minDelay times 0.5..1 (jitter), and says so
  if (typeof info.delay !== 'number' || info.delay < 25 || info.delay > 50) {
    fail('the first reconnect delay is ' + info.delay + ', expected 25..50 ms');
  }
  const resumed = next(a, 'recovered');
  await say(['m3', 'm4']);
  await resumed;
  while (got.length < 4) {
    await next(a, 'message');
  }
  // a page on instance 2 that continues from the positions of the first (as after a reload with sessionStorage)
  const positions = a.positions();
  a.close();
  await say(['m5']);
  const b = wskit.connect(url2, {WebSocket, positions});
  b.on('message', (data, m) => got.push(data + '@' + m.offset));
  const [recovered] = await next(b, 'recovered');
  b.close();
  const expected = ['m1@1', 'm2@2', 'm3@3', 'm4@4', 'm5@5'];
  if (JSON.stringify(got) !== JSON.stringify(expected)) {
    fail('received ' + JSON.stringify(got) + ', expected ' + JSON.stringify(expected));
  }
  if (JSON.stringify(events) !== JSON.stringify(['subscribed', 'recovered'])) {
    fail('events ' + JSON.stringify(events));
  }
  if (recovered.replayed !== 1 || recovered.offset !== 5) {
    fail('second recovery ' + JSON.stringify(recovered));
  }
  await refusals();
  clearTimeout(deadline);
  console.log('WSKIT.JS PASSED');
  process.exit(0);
})().catch(e => fail(String(e && e.stack || e)));
