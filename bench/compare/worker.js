'use strict';
// One worker process of a library, forked by scenarios.js: node worker.js LIBRARY REDIS_URL QUEUE
// CONCURRENCY. Its handler is a no-op that returns the job's data, as task-queue's no-op module
// returns its payload. Over IPC: it says {type: 'ready'} once connected; each {type: 'measure',
// jobs: N} starts a count (the first also starts processing), answered with {type: 'counting'} at
// once and with {type: 'measured'} once N more jobs have ended: the first start, the last end and
// the end after which a quarter had ended, on the machine's monotonic clock (the controller's
// too); each job's start less the submit time its data carries (`t`, where given); and the CPU
// this process used since (the first count: since it started). {type: 'stop'} closes the worker
// and ends the process.

const {library} = require('./libraries');

const [name, url, queue, concurrency] = process.argv.slice(2);

let expected = 0;
let ended = 0;
let firstStart = null;
let lastEnd = null;
let quarterEnd = null;
let waits = [];
let cpuAtMeasure = {user: 0, system: 0};
let running = false;

function handler(data) {
  const now = process.hrtime.bigint();
  if (firstStart === null) {
    firstStart = now;
  }
  if (data && data.t) {
    waits.push(Number(now - BigInt(data.t)) / 1e6);
  }
  return data;
}

function onEnded(error) {
  if (error) {
    process.send({type: 'error', message: `a job failed: ${error.message || error}`});
    return;
  }
  lastEnd = process.hrtime.bigint();
  ended += 1;
  if (ended === Math.floor(expected / 4) + 1) {
    quarterEnd = lastEnd;
  }
  if (ended === expected) {
    const cpu = process.cpuUsage(cpuAtMeasure);
    process.send({
      type: 'measured',
      firstStart: String(firstStart),
      lastEnd: String(lastEnd),
      quarterEnd: String(quarterEnd),
      waits,
      cpuUs: cpu.user + cpu.system,
    });
  }
}

const worker = library(name).worker(url, queue, Number(concurrency), handler, onEnded);

process.on('message', async (message) => {
  if (message.type === 'measure') {
    expected = message.jobs;
    ended = 0;
    firstStart = null;
    lastEnd = null;
    quarterEnd = null;
    waits = [];
    // The first count's CPU is from the process's start, as task-queue's drain counts its worker's.
    cpuAtMeasure = running ? process.cpuUsage() : {user: 0, system: 0};
    if (!running) {
      running = true;
      worker.run();
    }
    process.send({type: 'counting'});
  } else if (message.type === 'stop') {
    await worker.close();
    process.exit(0);
  }
});

// The controller gone (it failed, or was stopped): nothing is left to report to.
process.on('disconnect', () => process.exit(0));

worker.ready().then(
  () => process.send({type: 'ready'}),
  (error) => {
    process.send({type: 'error', message: `could not connect: ${error.message}`});
    process.exit(1);
  },
);
