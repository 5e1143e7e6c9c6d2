/**
 * Progress for long work (进度): one line updated in place — in a notebook through tslab's
 * updatable display, on a terminal with a carriage return, in a CI log as occasional lines —
 * and a one-line summary at the end.
 *
 * ```ts
 * const bar = progress({ total: 60000, label: 'epoch 1/10' });
 * for (let i = 0; i < 60000; i += 32) bar.update(i + 32, { loss: 0.12 });
 * bar.done('epoch 1/10: loss 0.12, 24.1 s');
 * ```
 */
import { newNotebookDisplay, NotebookDisplay } from './display';

export interface ProgressOptions {
  /** Units of work in all (items, bytes, batches). */
  total: number;
  /** Shown before the bar. */
  label?: string;
  /** Unit name used in the rate, e.g. 'img' or 'B'. */
  unit?: string;
  /** Minimum milliseconds between two redraws (default 250). */
  intervalMs?: number;
  /** Where the text goes outside a notebook (default: process.stderr). */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Bar width in characters (default 30). */
  width?: number;
}

export interface Progress {
  /** Set the amount done so far, with optional metrics to show (e.g. loss). */
  update(done: number, metrics?: Record<string, number | string>): void;
  /** Finish: draw the bar full and replace it with `summary` (or a default one). Returns the seconds taken. */
  done(summary?: string): number;
}

/** Format bytes as B/kB/MB for download progress. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function formatMetric(v: number | string): string {
  if (typeof v === 'string') return v;
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 100 ? v.toFixed(1) : v.toPrecision(4);
}

/** The text of a progress line: `label [=====>    ] 45% 27000/60000 1234 img/s eta 26s loss=0.1234`. */
export function progressLine(label: string, done: number, total: number, seconds: number, width: number,
  unit = '', metrics: Record<string, number | string> = {}): string {
  const fraction = total > 0 ? Math.min(1, Math.max(0, done / total)) : 1;
  const filled = Math.round(fraction * width);
  const bar = '='.repeat(Math.max(0, filled - 1)) + (filled > 0 ? (fraction >= 1 ? '=' : '>') : '') + ' '.repeat(width - filled);
  const rate = seconds > 0 ? done / seconds : 0;
  const eta = rate > 0 && fraction < 1 ? ` eta ${Math.ceil((total - done) / rate)}s` : '';
  const amount = unit === 'B' ? `${formatBytes(done)}/${formatBytes(total)}` : `${done}/${total}`;
  const rateText = unit === 'B' ? `${formatBytes(rate)}/s` : `${rate.toFixed(rate >= 100 ? 0 : 1)}${unit ? ' ' + unit : ''}/s`;
  const extra = Object.entries(metrics).map(([k, v]) => ` ${k}=${formatMetric(v)}`).join('');
  return `${label ? label + ' ' : ''}[${bar}] ${Math.floor(fraction * 100)}% ${amount} ${rateText}${eta}${extra}`;
}

/** Start a progress display. See the module doc for an example. */
export function progress(options: ProgressOptions): Progress {
  const { total, label = '', unit = '', intervalMs = 250, width = 30 } = options;
  if (!(total >= 0) || !Number.isFinite(total)) throw new Error(`progress: total must be a finite number >= 0, got ${total}`);
  const stream = options.stream ?? process.stderr;
  const display: NotebookDisplay | null = options.stream ? null : newNotebookDisplay();
  const tty = !display && Boolean(stream.isTTY);
  const start = Date.now();
  let last = -Infinity;
  let lastLogged = -Infinity;
  let lastDone = 0;
  let lastMetrics: Record<string, number | string> = {};
  let finished = false;

  const draw = (force: boolean): void => {
    const now = Date.now();
    if (!force && now - last < intervalMs) return;
    last = now;
    const line = progressLine(label, lastDone, total, (now - start) / 1000, width, unit, lastMetrics);
    if (display) display.text(line);
    else if (tty) stream.write(`\r${line}\x1b[K`);
    else if (force || now - lastLogged >= 10_000) {
      // Not a terminal (CI logs): a line every 10 s at most.
      lastLogged = now;
      stream.write(line + '\n');
    }
  };

  return {
    update(done: number, metrics?: Record<string, number | string>): void {
      if (finished) return;
      lastDone = done;
      if (metrics) lastMetrics = metrics;
      draw(false);
    },
    done(summary?: string): number {
      const seconds = (Date.now() - start) / 1000;
      if (finished) return seconds;
      finished = true;
      lastDone = Math.max(lastDone, total);
      const text = summary ?? `${label ? label + ': ' : ''}${total}${unit ? ' ' + unit : ''} in ${seconds.toFixed(1)} s`;
      if (display) display.text(text);
      else if (tty) stream.write(`\r${text}\x1b[K\n`);
      else stream.write(text + '\n');
      return seconds;
    },
  };
}
