'use strict';
// bin/compare: task-queue's bin/bench scenarios and the same work done by Bee-Queue and BullMQ, on
// this machine, in turns, each library on a fresh redis-server of its own (or on REDIS_URL's);
// prints one table with a column per library, or with --json one JSON object per row. What each
// figure means, and where the libraries differ: docs/benchmarks.md, "Beside Bee-Queue and BullMQ".

const {spawn} = require('node:child_process');
const path = require('node:path');
const {parseArgs} = require('node:util');
const redis = require('./redis');
const scenarios = require('./scenarios');
const libraries = require('./libraries');

const ROOT = path.join(__dirname, '..', '..');
const TASK_QUEUE = 'task-queue';
const SCENARIOS = ['submit', 'drain', 'flow', 'latency'];

const USAGE = `Usage: bin/compare [--libraries a,b] [--scenarios a,b] [--tasks N] [--rate PER_S]
                   [--for DURATION] [--concurrency C] [--rounds K] [--json]
Runs bin/bench's ${SCENARIOS.join(', ')} for task-queue and the same work for Bee-Queue and
BullMQ (one worker process of C slots or concurrency each), K rounds in turns, and prints a table.
  --libraries   ${[TASK_QUEUE, ...libraries.names].join(',')} (default: all)
  --scenarios   ${SCENARIOS.join(',')} (default: all)
  --tasks       jobs per run of submit, drain and flow (default: 20000)
  --rate        jobs a second in latency (default: 1000), for --for (default: 10s)
  --concurrency slots of the one worker (default: 50)
  --rounds      how many times each library runs, in turns (default: 1)
REDIS_URL names a Redis to use instead of a fresh redis-server per library and round.`;

class UsageError extends Error {}

/** Exit codes, as task-queue's commands give them: invalid input 2, Redis unreachable 3. */
class RedisUnreachable extends Error {}

function list(text, known, flag) {
  const names = text.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0 || names.length === 0) {
    throw new UsageError(`${flag} '${text}': give some of ${known.join(', ')}`);
  }
  return names;
}

function count(text, flag) {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    throw new UsageError(`${flag} '${text}': give a whole number of 1 or more`);
  }
  return n;
}

function seconds(text) {
  const match = /^(\d+)(ms|s|m)$/.exec(text);
  if (!match) {
    throw new UsageError(`--for '${text}': give a duration such as 10s, 500ms or 2m`);
  }
  return Number(match[1]) * {ms: 0.001, s: 1, m: 60}[match[2]];
}

function options(argv) {
  const {values} = parseArgs({
    args: argv,
    options: {
      libraries: {type: 'string', default: [TASK_QUEUE, ...libraries.names].join(',')},
      scenarios: {type: 'string', default: SCENARIOS.join(',')},
      tasks: {type: 'string', default: '20000'},
      rate: {type: 'string', default: '1000'},
      for: {type: 'string', default: '10s'},
      concurrency: {type: 'string', default: '50'},
      rounds: {type: 'string', default: '1'},
      json: {type: 'boolean', default: false},
      help: {type: 'boolean', short: 'h', default: false},
    },
  });
  return {
    help: values.help,
    json: values.json,
    libraries: list(values.libraries, [TASK_QUEUE, ...libraries.names], '--libraries'),
    scenarios: list(values.scenarios, SCENARIOS, '--scenarios'),
    tasks: count(values.tasks, '--tasks'),
    rate: count(values.rate, '--rate'),
    seconds: seconds(values.for),
    forText: values.for,
    concurrency: count(values.concurrency, '--concurrency'),
    rounds: count(values.rounds, '--rounds'),
  };
}

/** bin/bench's rows for the same work, renamed where the table lists another library's too. */
function runTaskQueue(url, o) {
  const args = [...o.scenarios, '--tasks', String(o.tasks), '--rate', String(o.rate), '--for',
    o.forText, '--concurrency', String(o.concurrency), '--json'];
  return new Promise((resolve, reject) => {
    const bench = spawn(path.join(ROOT, 'bin', 'bench'), args, {
      env: {...process.env, REDIS_URL: url},
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    bench.stdout.on('data', (chunk) => (out += chunk));
    bench.on('error', reject);
    bench.on('exit', (code) => {
      if (code !== 0) {
        return reject(new Error(`bin/bench exited with ${code}`));
      }
      const rows = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
      resolve(
        rows
          .map((r) => ({...r, library: TASK_QUEUE,
            scenario: r.scenario === 'submit batch (submitAll)' ? 'submit batch' : r.scenario}))
          // The CLI's batch and a warm client's submits have no counterpart in the Node.js
          // libraries' runs, each a fresh process.
          .filter((r) => !/producer CLI|submit-to-finish|, warm$/.test(r.scenario)),
      );
    });
  });
}

/**
 * The Redis one library's run measures against: REDIS_URL's, asked once first (a library's client
 * may retry one that does not answer for ever), or a fresh redis-server of our own, which answered
 * as it started.
 */
async function measuredRedis() {
  const url = process.env.REDIS_URL;
  if (!url) {
    return redis.startServer();
  }
  await redis.usage(url).catch((error) => {
    throw new RedisUnreachable(
      `Redis at ${url} did not answer (${error.message}): start it, or leave REDIS_URL` +
        ' unset for a redis-server of bin/compare\'s own',
    );
  });
  return {url, stop() {}};
}

async function runOnce(name, o) {
  const server = await measuredRedis();
  try {
    return name === TASK_QUEUE
      ? await runTaskQueue(server.url, o)
      : await scenarios.run(name, server.url, o);
  } finally {
    server.stop();
  }
}

/** The table's rows: a label, the scenario and the key of its figure, and how to print it. */
function figures(o) {
  const latency = `latency submit-to-start ${o.rate}/s`;
  const perS = (v) => Math.round(v).toLocaleString('en-US');
  const ms = (v) => (v < 1 ? v.toFixed(3) : v.toFixed(1));
  const one = (v) => v.toFixed(1);
  return [
    ['submit single, 1 thread, /s', 'submit single, 1 thread', 'per_s', perS],
    ['submit batch, /s', 'submit batch', 'per_s', perS],
    ['drain, /s', 'drain', 'per_s', perS],
    ['drain, last 3/4 (warm), /s', 'drain, last 3/4 (warm)', 'per_s', perS],
    ['flow, /s', 'flow', 'per_s', perS],
    [`latency ${o.rate}/s, p50 ms`, latency, 'p50_ms', ms],
    [`latency ${o.rate}/s, p99 ms`, latency, 'p99_ms', ms],
    [`latency ${o.rate}/s, max ms`, latency, 'max_ms', ms],
    ['drain, Redis commands a job', 'drain', 'redis_cmds_per_task', one],
    ['flow, Redis commands a job', 'flow', 'redis_cmds_per_task', one],
    ['drain, worker CPU µs a job', 'drain', 'worker_cpu_us_per_task', one],
    ['drain, Redis CPU µs a job', 'drain', 'redis_cpu_us_per_task', one],
    [`latency, worker CPU µs a job`, latency, 'worker_cpu_us_per_task', one],
    [`latency, Redis CPU µs a job`, latency, 'redis_cpu_us_per_task', one],
  ];
}

function table(rows, o) {
  const heads = o.libraries.map((name) => {
    const version = rows.find((r) => r.library === name && r.version)?.version;
    return version ? `${name} ${version}` : name;
  });
  const lines = [];
  for (const [label, scenario, key, format] of figures(o)) {
    const cells = o.libraries.map((name) => {
      return rows
        .filter((r) => r.library === name && r.scenario === scenario && r[key] != null)
        .map((r) => format(r[key]))
        .join(' · ');
    });
    if (cells.some((c) => c !== '')) {
      lines.push([label, ...cells.map((c) => c || '-')]);
    }
  }
  const widths = [0, ...heads.map((h) => h.length)];
  for (const line of lines) {
    line.forEach((cell, i) => (widths[i] = Math.max(widths[i], cell.length)));
  }
  const print = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('   ').trimEnd();
  return [
    `${o.tasks} jobs a run; one worker process of ${o.concurrency}; ${o.rounds} round(s) in turns`,
    print(['', ...heads]),
    ...lines.map(print),
  ].join('\n');
}

async function main() {
  let o;
  try {
    o = options(process.argv.slice(2));
  } catch (error) {
    console.error(`bin/compare: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (o.help) {
    console.log(USAGE);
    return 0;
  }
  const rows = [];
  for (let round = 1; round <= o.rounds; round++) {
    for (const name of o.libraries) {
      console.error(`bin/compare: round ${round} of ${o.rounds}: ${name}`);
      for (const r of await runOnce(name, o)) {
        rows.push({...r, round});
        if (o.json) {
          console.log(JSON.stringify({...r, round}));
        }
      }
    }
  }
  if (!o.json) {
    console.log(table(rows, o));
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`bin/compare: ${error.message}`);
    process.exit(error instanceof RedisUnreachable ? 3 : 1);
  },
);
