'use strict';
// The Redis server bin/compare measures against: one of its own per library, started as bin/bench
// starts its own (no persistence, task-queue's compact hashes), unless REDIS_URL names one; and
// what that server has spent, read from INFO over a socket of its own.

const {spawn} = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

/** A free TCP port on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** One round trip of `command` (words) to `url`, after AUTH where it names a password. */
function send(url, ...command) {
  const u = new URL(url);
  const requests = [];
  if (u.password) {
    requests.push(['AUTH', ...(u.username ? [u.username] : []), decodeURIComponent(u.password)]);
  }
  requests.push(command);
  const wire = requests
    .map((w) => `*${w.length}\r\n` + w.map((x) => `$${Buffer.byteLength(x)}\r\n${x}\r\n`).join(''))
    .join('');
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(u.port || 6379), u.hostname);
    let received = Buffer.alloc(0);
    socket.setTimeout(5000, () => socket.destroy(new Error(`no reply from ${u.host}`)));
    socket.on('error', reject);
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      const replies = parse(received);
      if (replies.length === requests.length) {
        socket.end();
        const error = replies.find((r) => r.error);
        if (error) {
          reject(new Error(`${u.host}: ${error.error}`));
        } else {
          resolve(replies.at(-1).text);
        }
      }
    });
    socket.write(wire);
  });
}

/** The complete replies at the start of `buffer`: status and error lines, and bulk strings. */
function parse(buffer) {
  const replies = [];
  let at = 0;
  for (;;) {
    const end = buffer.indexOf('\r\n', at);
    if (end < 0) {
      return replies;
    }
    const line = buffer.toString('utf8', at + 1, end);
    const kind = String.fromCharCode(buffer[at]);
    if (kind === '$') {
      const from = end + 2;
      const length = Number(line);
      if (buffer.length < from + length + 2) {
        return replies;
      }
      replies.push({text: buffer.toString('utf8', from, from + length)});
      at = from + length + 2;
    } else {
      replies.push(kind === '-' ? {error: line} : {text: line});
      at = end + 2;
    }
  }
}

/** The commands Redis has run (those inside scripts too; INFO itself not) and its CPU seconds. */
async function usage(url) {
  const info = await send(url, 'INFO', 'commandstats', 'cpu');
  let commands = 0;
  let cpuSeconds = 0;
  for (const line of info.split('\r\n')) {
    const calls = /^cmdstat_([^:]+):calls=(\d+),/.exec(line);
    if (calls && calls[1] !== 'info') {
      commands += Number(calls[2]);
    }
    const cpu = /^used_cpu_(sys|user):([0-9.]+)$/.exec(line);
    if (cpu) {
      cpuSeconds += Number(cpu[2]);
    }
  }
  return {commands, cpuSeconds};
}

/** What was spent from `before` until now. */
async function spentSince(url, before) {
  const now = await usage(url);
  return {commands: now.commands - before.commands, cpuSeconds: now.cpuSeconds - before.cpuSeconds};
}

/**
 * A redis-server of our own on a free port, with the flags bin/bench gives its own; `stop()` ends
 * it and removes its folder.
 */
async function startServer() {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'task-queue-compare-'));
  const log = fs.openSync(path.join(dir, 'redis.log'), 'w');
  const server = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
      '--hash-max-listpack-value', '512', '--dir', dir],
    {stdio: ['ignore', log, 'inherit']},
  );
  fs.closeSync(log); // the server has its own copy
  const url = `redis://127.0.0.1:${port}/0`;
  for (let tries = 0; ; tries++) {
    try {
      await send(url, 'PING');
      break;
    } catch (error) {
      if (tries === 100 || server.exitCode !== null) {
        server.kill();
        throw new Error(`redis-server did not start on port ${port} (see ${dir}/redis.log)`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return {
    url,
    stop() {
      server.kill();
      fs.rmSync(dir, {recursive: true, force: true});
    },
  };
}

module.exports = {startServer, usage, spentSince};
