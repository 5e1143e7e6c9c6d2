/**
 * What this machine is and what it can do (运行环境): versions, cores, memory, and a live
 * measurement of the current TensorFlow.js backend.
 *
 * ```ts
 * const env = environmentReport();          // { node: 'v20.20.2', cpus: 2, memoryGiB: 23.5, ... }
 * const speed = measureMatMul([128, 256]);  // [{ size: 128, seconds: 0.0004, gflops: 10.2 }, ...]
 * ```
 */
import * as os from 'os';
import * as tf from '@tensorflow/tfjs';

export interface EnvironmentReport {
  node: string;
  platform: string;
  arch: string;
  cpuModel: string;
  cpus: number;
  memoryGiB: number;
  tfjs: string;
  backend: string;
  profile: 'quick' | 'full';
}

/** The course profile: `COURSE_PROFILE=quick` shrinks the work for smoke runs; the default is `full`. */
export function courseProfile(env: NodeJS.ProcessEnv = process.env): 'quick' | 'full' {
  const raw = (env.COURSE_PROFILE ?? 'full').trim().toLowerCase();
  if (raw === 'quick' || raw === 'full') return raw;
  throw new Error(`COURSE_PROFILE=${env.COURSE_PROFILE}: use 'quick' (small subsets, seconds) or 'full' (the default)`);
}

/** Versions and resources of this machine, and the backend tfjs is using now. */
export function environmentReport(): EnvironmentReport {
  const cpus = os.cpus();
  return {
    node: process.version,
    platform: os.platform(),
    arch: os.arch(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpus: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    tfjs: tf.version.tfjs,
    backend: tf.getBackend(),
    profile: courseProfile(),
  };
}

export interface MatMulTiming {
  /** n for an n×n by n×n product. */
  size: number;
  /** Median seconds of one product. */
  seconds: number;
  /** 2n³ floating-point operations per second, in billions. */
  gflops: number;
}

/**
 * Time n×n matrix products on the current backend (median of `repeats` runs after one warm-up),
 * reading the result back so asynchronous backends are timed to completion. No tensors leak.
 */
export function measureMatMul(sizes: readonly number[], repeats = 5): MatMulTiming[] {
  return sizes.map((n) => {
    if (!Number.isInteger(n) || n <= 0) throw new Error(`measureMatMul: size ${n} must be a positive integer`);
    const times: number[] = [];
    const a = tf.randomUniform([n, n], -1, 1, 'float32', 1);
    const b = tf.randomUniform([n, n], -1, 1, 'float32', 2);
    try {
      for (let r = 0; r <= repeats; r++) {
        const t0 = process.hrtime.bigint();
        const c = tf.matMul(a, b);
        c.dataSync();
        c.dispose();
        const dt = Number(process.hrtime.bigint() - t0) / 1e9;
        if (r > 0) times.push(dt);
      }
    } finally {
      a.dispose();
      b.dispose();
    }
    times.sort((x, y) => x - y);
    const seconds = times[Math.floor(times.length / 2)]!;
    return { size: n, seconds, gflops: (2 * n ** 3) / seconds / 1e9 };
  });
}
