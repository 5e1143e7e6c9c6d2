/**
 * Running a service as its own process (服务进程): start a Node script that prints one JSON line
 * `{"ready": true, "url": "http://127.0.0.1:…"}` on stdout once it listens, use it, and stop it —
 * SIGTERM first (the service closes gracefully), SIGKILL if it does not exit in time. `stop()` is
 * idempotent; use it in a `finally` so that the process never outlives the cell that started it.
 * The service should also exit when its stdin closes, so that it cannot outlive its parent either.
 *
 * ```ts
 * const service = await startServiceProcess('build/scripts/serve.js', [modelDir]);
 * try {
 *   await httpRequest(`${service.url}/health`);
 * } finally {
 *   const exit = await service.stop();   // { code: 0, signal: null, lines: [...] }
 * }
 * ```
 */
import { spawn } from 'child_process';

export interface ServiceExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Every stdout line the service printed. */
  lines: string[];
  /** The last stderr output (at most 4 kB). */
  stderr: string;
  /** True when SIGKILL was needed. */
  killed: boolean;
}

export interface ServiceProcess {
  url: string;
  pid: number;
  /** The parsed ready line. */
  ready: Record<string, unknown>;
  /** SIGTERM, wait up to `timeoutMs` (default 10 s), then SIGKILL. */
  stop(timeoutMs?: number): Promise<ServiceExit>;
}

export interface ServiceProcessOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Fail (and kill the process) when it is not ready within this time (default 60 s). */
  readyTimeoutMs?: number;
}

/** Start `node script ...args` and wait for its ready line (see the module doc). */
export function startServiceProcess(script: string, args: readonly string[] = [], options: ServiceProcessOptions = {}): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: options.env ?? process.env, cwd: options.cwd });
  const lines: string[] = [];
  let stderr = '';
  let buffered = '';
  let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  let killed = false;
  const exitWaiters: (() => void)[] = [];
  child.on('exit', (code, signal) => {
    exited = { code, signal };
    exitWaiters.splice(0).forEach((w) => w());
  });
  child.stderr!.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4096); });
  // The parent never writes: stdin stays open until stop() (or until the parent dies).
  child.stdin!.on('error', () => undefined);

  const waitExit = (ms: number): Promise<boolean> => new Promise((resolve) => {
    if (exited) return resolve(true);
    const timer = setTimeout(() => resolve(false), ms);
    exitWaiters.push(() => { clearTimeout(timer); resolve(true); });
  });
  let stopping: Promise<ServiceExit> | null = null;
  const stop = (timeoutMs = 10_000): Promise<ServiceExit> => {
    if (stopping) return stopping;
    stopping = (async () => {
      if (!exited) {
        child.kill('SIGTERM');
        if (!(await waitExit(timeoutMs))) {
          killed = true;
          child.kill('SIGKILL');
          await waitExit(5000);
        }
      }
      child.stdin!.destroy();
      return { code: exited?.code ?? null, signal: exited?.signal ?? null, lines: [...lines], stderr, killed };
    })();
    return stopping;
  };

  return new Promise<ServiceProcess>((resolve, reject) => {
    let settled = false;
    const fail = (why: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stop(2000).then((e) => reject(new Error(`${script}: ${why}${e.stderr ? `\n${e.stderr.trim()}` : ''}`)));
    };
    const timer = setTimeout(() => fail(`not ready within ${options.readyTimeoutMs ?? 60_000} ms`), options.readyTimeoutMs ?? 60_000);
    child.on('error', (err) => fail(`could not start: ${err.message}`));
    child.on('exit', (code, signal) => fail(`exited before it was ready (code ${code}, signal ${signal})`));
    child.stdout!.on('data', (d: Buffer) => {
      buffered += d.toString();
      let at: number;
      while ((at = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, at).trim();
        buffered = buffered.slice(at + 1);
        if (!line) continue;
        lines.push(line);
        if (settled) continue;
        let parsed: unknown;
        try {
          parsed = JSON.parse(line);
        } catch {
          continue;
        }
        const p = parsed as { ready?: unknown; url?: unknown };
        if (p && p.ready === true && typeof p.url === 'string') {
          settled = true;
          clearTimeout(timer);
          resolve({ url: p.url, pid: child.pid!, ready: parsed as Record<string, unknown>, stop });
        }
      }
    });
  });
}
