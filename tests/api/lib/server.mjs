// Starts the real caifuhao binary on a temporary database and a free port, runs its
// subcommands, and stops it again. A server that does not exit with code 0 on SIGTERM fails
// the test that stops it: with the sanitizer build, that is how a memory error or a leak
// surfaces.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, afterEach } from 'node:test';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const BIN = resolve(REPO_ROOT, process.env.CAIFUHAO_BIN || 'build/asan/caifuhao');

// Cheap password hashing, and a request limiter that never gets in the way unless a test
// asks for it. Tests override these per server.
const FAST_ENV = {
  CAIFUHAO_ARGON2_OPS: '1',
  CAIFUHAO_ARGON2_MEM_KIB: '8',
  CAIFUHAO_RATE_LIMIT_RPS: '100000',
  CAIFUHAO_RATE_LIMIT_BURST: '100000',
  CAIFUHAO_LOG_LEVEL: 'warn',
};

const LOG_KEEP_BYTES = 256 * 1024; // tail of the server's output kept for failure reports
const START_TIMEOUT_MS = 15000;
const STOP_TIMEOUT_MS = 20000; // the server drains for up to 10 s

// A web root with a known file, and a secret beside it that no request may reach.
export const STATIC_INDEX = '<!doctype html><title>caifuhao test</title>\n';
export const STATIC_ASSET = 'console.log("caifuhao test asset");\n';
export const SECRET_MARKER = 'CAIFUHAO-SECRET-6b1f0c2e';

function binaryOrThrow() {
  if (!existsSync(BIN)) {
    throw new Error(`binary not found: ${BIN} (build it, or set CAIFUHAO_BIN)`);
  }
  return BIN;
}

/** Runs `caifuhao <args>`; resolves to {code, signal, stdout, stderr}. */
export function runCli(args, { input, env = {}, timeoutMs = 30000 } = {}) {
  const bin = binaryOrThrow();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(bin, args, {
      cwd: REPO_ROOT,
      env: { ...process.env, ...FAST_ENV, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    // Decoded as a stream, so that a character split between two reads stays whole.
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}

/** Like runCli, but throws (with both outputs) unless the command exits with code 0. */
export async function runCliOk(args, opts) {
  const r = await runCli(args, opts);
  if (r.code !== 0) {
    throw new Error(`caifuhao ${args.join(' ')} exited with ${r.code ?? r.signal}\n` +
      `--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`);
  }
  return r;
}

function freePort() {
  return new Promise((resolvePromise, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePromise(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A temporary directory with a migrated database and a small web root. */
export async function makeWorkdir() {
  const dir = await mkdtemp(join(tmpdir(), 'caifuhao-api-'));
  const web = join(dir, 'web');
  await mkdir(join(web, 'assets'), { recursive: true });
  await writeFile(join(web, 'index.html'), STATIC_INDEX);
  await writeFile(join(web, 'assets', 'app.js'), STATIC_ASSET);
  await writeFile(join(dir, 'SECRET.txt'), `${SECRET_MARKER}\n`);
  const db = join(dir, 'caifuhao.db');
  await runCliOk(['migrate', '--db', db]);
  return { dir, db, web };
}

export class Server {
  constructor(work, env) {
    this.work = work;         // {dir, db, web}
    this.db = work.db;
    this.env = env;           // CAIFUHAO_* overrides for this server
    this.child = null;
    this.base = null;         // http://127.0.0.1:PORT
    this.output = '';         // tail of stdout and stderr together
    this.exited = null;       // Promise of {code, signal}
    this.failedTests = [];
  }

  #keep(chunk) {
    this.output += chunk;
    if (this.output.length > LOG_KEEP_BYTES) this.output = this.output.slice(-LOG_KEEP_BYTES);
  }

  async start() {
    // Another process may take the port between freePort() and bind(): try a few.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      try {
        await this.#startOn(port);
        return this;
      } catch (err) {
        if (attempt >= 3 || !/address|in use|bind/i.test(this.output)) {
          throw err;
        }
      }
    }
  }

  async #startOn(port) {
    const bin = binaryOrThrow();
    this.output = '';
    this.base = `http://127.0.0.1:${port}`;
    this.child = spawn(bin, ['serve', '--db', this.db, '--listen', `127.0.0.1:${port}`], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...FAST_ENV, CAIFUHAO_WEB_ROOT: this.work.web, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout.on('data', (d) => this.#keep(d.toString()));
    this.child.stderr.on('data', (d) => this.#keep(d.toString()));
    this.exited = new Promise((r) => this.child.on('close', (code, signal) => r({ code, signal })));
    let exit = null;
    this.exited.then((e) => { exit = e; });

    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (exit) {
        throw new Error(`server exited during start-up with ${exit.code ?? exit.signal}\n` +
          this.outputTail());
      }
      try {
        // 429 counts as up: a test server with a tiny rate limit may answer it.
        const res = await fetch(`${this.base}/healthz`);
        await res.arrayBuffer();
        if (res.status === 200 || res.status === 429) return;
      } catch {
        // not listening yet
      }
      await sleep(50);
    }
    this.child.kill('SIGKILL');
    throw new Error(`server did not answer /healthz within ${START_TIMEOUT_MS} ms\n` +
      this.outputTail());
  }

  outputTail(lines = 80) {
    const tail = this.output.split('\n').slice(-lines).join('\n');
    return `--- server output (last ${lines} lines) ---\n${tail}\n--- end of server output ---`;
  }

  /** SIGTERM; throws unless the process exits by itself with code 0. */
  async stop() {
    if (!this.child) return;
    const child = this.child;
    this.child = null;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    const { code, signal } = await this.exited;
    clearTimeout(timer);
    if (code !== 0) {
      throw new Error(`server exited with ${code ?? signal} after SIGTERM (want 0)\n` +
        this.outputTail(200));
    }
  }

  /** Stops (checking the exit code) and starts again on the same database. */
  async restart() {
    await this.stop();
    return this.start();
  }

  /** Runs a subcommand against this server's database. */
  cli(args, opts) {
    return runCliOk([...args, '--db', this.db], opts);
  }

  /** Creates an operator account from the command line; answers its login and password. */
  async createOperator(login, role, password = 'Operator-pass-1') {
    await this.cli(['user', 'create', '--login', login, '--role', role,
      '--display-name', `Test ${role}`, '--password-stdin'], { input: `${password}\n` });
    return { login, password };
  }

  /** Runs SQL through the sqlite3 command-line shell; answers its output. */
  sql(statements) {
    return new Promise((resolvePromise, reject) => {
      const child = spawn('sqlite3', ['-bail', this.db], { stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8');
      child.stderr.setEncoding('utf8');
      child.stdout.on('data', (d) => { out += d; });
      child.stderr.on('data', (d) => { err += d; });
      child.on('error', reject);
      child.on('close', (code) => {
        if (code === 0) resolvePromise(out);
        else reject(new Error(`sqlite3 failed (${code}): ${err}\nSQL: ${statements}`));
      });
      child.stdin.end(`.timeout 5000\n${statements}\n`);
    });
  }

  async removeWorkdir() {
    await rm(this.work.dir, { recursive: true, force: true });
  }
}

/** Starts a server on a fresh database. */
export async function startServer(env = {}) {
  const work = await makeWorkdir();
  const srv = new Server(work, env);
  await srv.start();
  return srv;
}

/**
 * Starts a server for the whole test file: it is stopped after the last test (the exit code
 * is checked there), and its output is printed when any test of the file failed.
 */
export async function fileServer(env = {}) {
  const srv = await startServer(env);
  afterEach((t) => {
    if (t.passed === false) srv.failedTests.push(t.name);
  });
  after(async () => {
    try {
      await srv.stop();
    } finally {
      if (srv.failedTests.length > 0) {
        process.stderr.write(`failed: ${srv.failedTests.join(', ')}; ` +
          `work directory kept: ${srv.work.dir}\n${srv.outputTail(120)}\n`);
      } else {
        await srv.removeWorkdir();
      }
    }
  });
  return srv;
}

export { sleep };
