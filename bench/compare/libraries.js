'use strict';
// The queues bin/compare measures beside task-queue, each behind one shape: a producer that adds
// jobs one at a time or in bulk, and a worker that runs a handler on each job's data with a
// concurrency and says when the library has recorded each outcome in Redis. Each runs with its
// defaults but where a producer must not process or subscribe; completed jobs are kept, as
// task-queue keeps its tasks and results (docs/benchmarks.md, "Beside Bee-Queue and BullMQ").

/** ioredis options (BullMQ's connection) for a redis:// URL. */
function ioredisOptions(url) {
  const u = new URL(url);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    db,
    username: u.username || undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
  };
}

/**
 * Bee-Queue: its worker also stores each job's data with its outcome and publishes the result to
 * any listening producer (its defaults); the job's return value is not stored in Redis.
 */
const beeQueue = {
  version: () => require('bee-queue/package.json').version,

  producer(url, name) {
    const Queue = require('bee-queue');
    const queue = new Queue(name, {redis: {url}, isWorker: false, getEvents: false});
    return {
      ready: () => queue.ready(),
      add: (data) => queue.createJob(data).save(),
      async addBulk(batch) {
        const errors = await queue.saveAll(batch.map((data) => queue.createJob(data)));
        if (errors.size > 0) {
          throw errors.values().next().value;
        }
      },
      close: () => queue.close(),
    };
  },

  worker(url, name, concurrency, handler, onEnded) {
    const Queue = require('bee-queue');
    const queue = new Queue(name, {redis: {url}, getEvents: false});
    queue.on('succeeded', () => onEnded(null));
    queue.on('failed', (job, error) => onEnded(error));
    return {
      ready: () => queue.ready(),
      run: () => queue.process(concurrency, async (job) => handler(job.data)),
      close: () => queue.close(),
    };
  },
};

/** BullMQ: its worker stores each job's return value in the job's hash (its default). */
const bullmq = {
  version: () => require('bullmq/package.json').version,

  producer(url, name) {
    const {Queue} = require('bullmq');
    const queue = new Queue(name, {connection: ioredisOptions(url)});
    return {
      ready: () => queue.waitUntilReady(),
      add: (data) => queue.add('noop', data),
      addBulk: (batch) => queue.addBulk(batch.map((data) => ({name: 'noop', data}))),
      close: () => queue.close(),
    };
  },

  worker(url, name, concurrency, handler, onEnded) {
    const {Worker} = require('bullmq');
    const worker = new Worker(name, async (job) => handler(job.data), {
      connection: ioredisOptions(url),
      concurrency,
      autorun: false,
    });
    worker.on('completed', () => onEnded(null));
    worker.on('failed', (job, error) => onEnded(error));
    return {
      ready: () => worker.waitUntilReady(),
      run: () => {
        worker.run();
      },
      close: () => worker.close(),
    };
  },
};

const LIBRARIES = {'bee-queue': beeQueue, bullmq};

/** The library called `name`; throws naming the ones there are. */
function library(name) {
  const found = LIBRARIES[name];
  if (!found) {
    throw new Error(`unknown library '${name}': give one of ${Object.keys(LIBRARIES).join(', ')}`);
  }
  return found;
}

module.exports = {library, names: Object.keys(LIBRARIES)};
