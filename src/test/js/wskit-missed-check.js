// Checks wskit.js's 'missed' event against a running plain-room endpoint that signals missed messages (started by
// WskitJsIT, which kills the instance's subscriber connection once this client is in the room):
//   node wskit-missed-check.js <ws url> <room>
// with the npm package "ws" on NODE_PATH. Prints "WSKIT.JS MISSED PASSED" and exits 0, or prints why and exits 1.
'use strict';
const WebSocket = require('ws');
const wskit = require(process.env.WSKIT_JS);

const [url, room] = process.argv.slice(2);
const deadline = setTimeout(() => fail('timed out'), 30000);

function fail(why) {
  console.log('WSKIT.JS MISSED FAILED: ' + why);
  process.exit(1);
}

const plain = [];
const client = wskit.connect(url, {WebSocket, minDelay: 50, maxDelay: 200});
client.on('plain', text => plain.push(text));
client.on('missed', m => {
  if (m.room !== room || m.reason !== 'connection-lost') {
    fail('missed ' + JSON.stringify(m));
  }
  if (!(m.from instanceof Date) || isNaN(m.from.getTime()) || !(m.to instanceof Date) || isNaN(m.to.getTime())
      || m.from.getTime() > m.to.getTime()) {
    fail('missed window ' + m.from + ' .. ' + m.to);
  }
  if (plain.length !== 0) {
    fail('the frame was also taken for a plain message: ' + JSON.stringify(plain));
  }
  clearTimeout(deadline);
  client.close();
  console.log('WSKIT.JS MISSED PASSED');
  process.exit(0);
});
