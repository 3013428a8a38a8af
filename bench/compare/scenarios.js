'use strict';
// bin/bench's scenarios, run against a Node.js queue library: the same work, measured the same way,
// so that its rows stand beside task-queue's (docs/benchmarks.md, "Beside Bee-Queue and BullMQ").
// - submit single: jobs added one at a time from one client, each awaited;
// - submit batch: the same number in one call of the library's bulk add;
// - drain: N jobs added, then a fresh worker process started; its first start to its last end;
// - flow: jobs added 1,000 at a time while the (now warm) worker runs; first add to last end;
// - latency: jobs added one at a time at a steady rate to the idle worker, after a warm-up as long
//   as the measured stretch; per job, submit (taken just before its add) to the handler's start.
// Each job's data is {} (with `t`, the submit time, in `latency`); the handler returns it.

const {fork} = require('node:child_process');
const path = require('node:path');
const {library} = require('./libraries');
const redis = require('./redis');

const BATCH = 1000;
const SLEEPER = new Int32Array(new SharedArrayBuffer(4));

const now = () => process.hrtime.bigint();
const secondsSince = (start, end = now()) => Number(end - start) / 1e9;

/** Sleeps until `due` (process.hrtime.bigint), parked rather than spinning, to the microsecond. */
function sleepUntil(due) {
  const ms = Number(due - now()) / 1e6;
  if (ms > 0) {
    Atomics.wait(SLEEPER, 0, 0, ms);
  }
}

function percentile(sorted, p) {
  const index = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
}

/** How long a worker may take to end the jobs of one count: a minute, and a ms a job beyond. */
const measureTimeout = (jobs) => 60000 + jobs;

/**
 * A worker process of the library, and its IPC: `measure(jobs)` resolves once the worker counts,
 * with a promise of its report once that many jobs have ended (rejected if they have not within
 * `measureTimeout`, or the worker failed).
 */
async function startWorker(name, url, queue, concurrency) {
  const started = now();
  const child = fork(path.join(__dirname, 'worker.js'), [name, url, queue, String(concurrency)]);
  const waiting = [];
  const failed = new Promise((resolve, reject) => {
    child.on('message', (message) => {
      if (message.type === 'error') {
        reject(new Error(`${name} worker: ${message.message}`));
      } else if (waiting.length > 0) {
        waiting.shift()(message);
      }
    });
    child.on('exit', (code) => reject(new Error(`${name} worker exited with ${code}`)));
  });
  failed.catch(() => {});
  const next = () => Promise.race([new Promise((resolve) => waiting.push(resolve)), failed]);
  await next(); // ready
  return {
    started,
    async measure(jobs) {
      const counting = next();
      let timer;
      const timeout = new Promise((resolve, reject) => {
        const ms = measureTimeout(jobs);
        timer = setTimeout(
          () => reject(new Error(`${name} worker: ${jobs} jobs did not end within ${ms} ms`)),
          ms,
        );
      });
      const measured = Promise.race([next(), timeout]).finally(() => clearTimeout(timer));
      measured.catch(() => {});
      child.send({type: 'measure', jobs});
      await counting;
      return {measured};
    },
    /** Closes the worker; kills it if it has not ended within 10 s. */
    stop() {
      child.removeAllListeners('exit');
      const ended = new Promise((resolve) => child.once('exit', resolve));
      const kill = setTimeout(() => child.kill('SIGKILL'), 10000);
      child.send({type: 'stop'});
      return ended.finally(() => clearTimeout(kill));
    },
  };
}

/** One row, in bin/bench's JSON keys. */
function row(scenario, name, jobs, seconds, extra = {}) {
  return {scenario, library: name, tasks: jobs, seconds, per_s: jobs / seconds, ...extra};
}

function costs(report, spent, jobs) {
  return {
    redis_cmds_per_task: spent.commands / jobs,
    worker_cpu_us_per_task: report.cpuUs / jobs,
    redis_cpu_us_per_task: (spent.cpuSeconds * 1e6) / jobs,
  };
}

async function submitSingle(name, producer, jobs) {
  const start = now();
  for (let i = 0; i < jobs; i++) {
    await producer.add({});
  }
  return row('submit single, 1 thread', name, jobs, secondsSince(start));
}

async function submitBatch(name, producer, jobs) {
  const batch = Array.from({length: jobs}, () => ({}));
  const start = now();
  await producer.addBulk(batch);
  return row('submit batch', name, jobs, secondsSince(start));
}

async function addInBatches(producer, jobs) {
  for (let from = 0; from < jobs; from += BATCH) {
    await producer.addBulk(Array.from({length: Math.min(BATCH, jobs - from)}, () => ({})));
  }
}

async function drain(name, url, producer, jobs, concurrency) {
  await addInBatches(producer, jobs);
  const before = await redis.usage(url);
  const worker = await startWorker(name, url, 'default', concurrency);
  let report;
  try {
    report = await (await worker.measure(jobs)).measured;
  } catch (error) {
    await worker.stop();
    throw error;
  }
  const spent = await redis.spentSince(url, before);
  const firstStart = BigInt(report.firstStart);
  const lastEnd = BigInt(report.lastEnd);
  const warm = jobs - Math.floor(jobs / 4);
  return {
    worker,
    rows: [
      row('drain', name, jobs, secondsSince(firstStart, lastEnd), {
        ...costs(report, spent, jobs),
        first_start_ms: Number(firstStart - worker.started) / 1e6,
      }),
      row('drain, last 3/4 (warm)', name, warm, secondsSince(BigInt(report.quarterEnd), lastEnd)),
    ],
  };
}

async function flow(name, url, producer, worker, jobs) {
  const before = await redis.usage(url);
  const {measured} = await worker.measure(jobs);
  const start = now();
  await addInBatches(producer, jobs);
  const report = await measured;
  const spent = await redis.spentSince(url, before);
  const seconds = secondsSince(start, BigInt(report.lastEnd));
  return row('flow', name, jobs, seconds, costs(report, spent, jobs));
}

/** Adds `jobs` at `rate` a second, one at a time; resolves with the worker's report once ended. */
async function steady(producer, worker, jobs, rate) {
  const {measured} = await worker.measure(jobs);
  const start = now();
  for (let i = 0; i < jobs; i++) {
    sleepUntil(start + BigInt(Math.round((i * 1e9) / rate)));
    await producer.add({t: String(now())});
  }
  return {report: await measured, seconds: secondsSince(start)};
}

async function latency(name, url, producer, worker, rate, seconds) {
  const jobs = Math.max(1, Math.round(rate * seconds));
  await steady(producer, worker, jobs, rate); // the warm-up
  const before = await redis.usage(url);
  const {report, seconds: took} = await steady(producer, worker, jobs, rate);
  const spent = await redis.spentSince(url, before);
  const waits = report.waits.sort((a, b) => a - b);
  return row(`latency submit-to-start ${rate}/s`, name, jobs, took, {
    p50_ms: percentile(waits, 50),
    p99_ms: percentile(waits, 99),
    max_ms: waits.at(-1),
    ...costs(report, spent, jobs),
  });
}

/**
 * The scenarios named in `options.scenarios`, in bin/bench's order, against library `name` on the
 * Redis at `url`; one worker process of `options.concurrency`. Resolves with their rows.
 */
async function run(name, url, options) {
  const {scenarios, tasks, concurrency, rate, seconds} = options;
  const lib = library(name);
  const submitQueue = lib.producer(url, 'submit');
  const queue = lib.producer(url, 'default');
  await Promise.all([submitQueue.ready(), queue.ready()]);
  const rows = [];
  let worker = null;
  try {
    if (scenarios.includes('submit')) {
      rows.push(await submitSingle(name, submitQueue, tasks));
      rows.push(await submitBatch(name, submitQueue, tasks));
    }
    if (scenarios.includes('drain')) {
      const drained = await drain(name, url, queue, tasks, concurrency);
      worker = drained.worker;
      rows.push(...drained.rows);
    }
    const needsWorker = scenarios.includes('flow') || scenarios.includes('latency');
    if (needsWorker && worker === null) {
      worker = await startWorker(name, url, 'default', concurrency);
    }
    if (scenarios.includes('flow')) {
      rows.push(await flow(name, url, queue, worker, tasks));
    }
    if (scenarios.includes('latency')) {
      rows.push(await latency(name, url, queue, worker, rate, seconds));
    }
  } finally {
    if (worker !== null) {
      await worker.stop();
    }
    await Promise.all([submitQueue.close(), queue.close()]);
  }
  return rows.map((r) => ({...r, concurrency, version: lib.version()}));
}

module.exports = {run};
