/**
 * Talking to the notebook: rich outputs through tslab when the code runs in a tslab kernel,
 * plain text on the console everywhere else (jest, scripts, CI logs).
 */

/** The part of tslab's `Display` the course uses. */
export interface NotebookDisplay {
  raw(contentType: string, content: unknown): void;
  text(s: string): void;
  html(s: string): void;
  markdown(s: string): void;
}

interface TslabModule {
  display: NotebookDisplay;
  newDisplay(): NotebookDisplay;
}

let cached: TslabModule | null | undefined;

function tslab(): TslabModule | null {
  if (cached !== undefined) return cached;
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const mod = require('tslab') as TslabModule;
    // Outside a running kernel tslab's display throws "Not ready": probe once with a no-op check.
    const jupyter = require('tslab/dist/jupyter') as { lastWriteDisplayData?: unknown };
    cached = jupyter.lastWriteDisplayData ? mod : null;
  } catch {
    cached = null;
  }
  return cached;
}

/** The shared display of the current cell, or null outside a notebook. */
export function notebookDisplay(): NotebookDisplay | null {
  return tslab()?.display ?? null;
}

/** A fresh display entry that later calls overwrite in place (for progress), or null outside a notebook. */
export function newNotebookDisplay(): NotebookDisplay | null {
  return tslab()?.newDisplay() ?? null;
}

/** Show Markdown in a notebook; print it as text elsewhere. */
export function showMarkdown(markdown: string): void {
  const d = notebookDisplay();
  if (d) d.markdown(markdown);
  else console.log(markdown);
}
