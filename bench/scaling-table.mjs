// The comparison of bench/scaling.sh: each figure per core count and its ratio to the first core count.
// Usage: node scaling-table.mjs <out.json> <cores>=<results.json> ...
import { readFileSync, writeFileSync } from 'node:fs';

const [out, ...runs] = process.argv.slice(2);
const results = runs.map((arg) => {
  const [cores, file] = arg.split('=');
  return { cores: Number(cores), r: JSON.parse(readFileSync(file, 'utf8')) };
});

const get = (o, path) => path.reduce((v, k) => (v == null ? undefined : v[k]), o);
// [label, path, unit, higher is better]
const figures = [
  ['publish throughput 64 B', ['publish', '64B', 'wskitMsgPerSec'], 'msg/s', true],
  ['  redis-benchmark -P 16 with a subscriber, 64 B', ['publish', '64B', 'redisBenchmarkP16WithSubscriber'], 'msg/s', true],
  ['publish throughput 1 KB', ['publish', '1024B', 'wskitMsgPerSec'], 'msg/s', true],
  ['WebSocket end to end, max sustained', ['ws', 'max', 'msgPerSec'], 'msg/s', true],
  ['WebSocket 10k msg/s, p50', ['ws', '10000/s', 'p50Micros'], 'µs', false],
  ['WebSocket 10k msg/s, p99', ['ws', '10000/s', 'p99Micros'], 'µs', false],
  ['fan-out, sustained deliveries', ['fanout', 'library', 'sustained', 'deliveriesPerSec'], '/s', true],
  ['  no library', ['fanout', 'baselineNoLibrary', 'sustained', 'deliveriesPerSec'], '/s', true],
  ['fan-out, publish → last session p50', ['fanout', 'library', 'publishToLastSession', 'lastP50Millis'], 'ms', false],
  ['  no library', ['fanout', 'baselineNoLibrary', 'publishToLastSession', 'lastP50Millis'], 'ms', false],
];

const header = ['figure'.padEnd(50), ...results.map((x) => `${x.cores} core(s)`.padStart(14)),
  ...results.slice(1).map((x) => `×${x.cores}/${results[0].cores}`.padStart(9))].join(' ');
console.log(`scaling with cores (every process of a run on the first N cores: taskset), machine (the run on the most cores): ${results[results.length - 1].r.machine}`);
console.log(header);
const table = {};
for (const [label, path, unit, higherIsBetter] of figures) {
  const values = results.map((x) => get(x.r, path));
  if (values.every((v) => v === undefined)) continue;
  const ratios = values.slice(1).map((v) => (v === undefined || values[0] === undefined ? undefined
    : Math.round((v / values[0]) * 100) / 100));
  table[label.trim()] = { unit, higherIsBetter, byCores: Object.fromEntries(results.map((x, i) => [x.cores, values[i]])),
    ratioToFirst: Object.fromEntries(results.slice(1).map((x, i) => [x.cores, ratios[i]])) };
  const cell = (v) => (v === undefined ? '–' : `${Math.round(v * 10) / 10}`).padStart(14);
  console.log([`${label} (${unit})`.padEnd(50), ...values.map(cell),
    ...ratios.map((q) => (q === undefined ? '–' : q.toFixed(2)).padStart(9))].join(' '));
}
writeFileSync(out, JSON.stringify({ machine: results[results.length - 1].r.machine, runs: results.map((x) => x.cores), table }, null, 2));
console.log(`written to ${out}`);
