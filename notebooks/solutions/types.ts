/** The shape of a notebook's solutions file: for each exercise id, the tested solution, plausible wrong answers and why. */
export interface Solution {
  /** The answer that must pass the exercise's check. */
  answer: unknown;
  /** Plausible mistakes; each must fail the check (and so print the hint). */
  wrong: unknown[];
  /** A short explanation shown with the solution in the book. */
  explanation: string;
}

export type Solutions = Record<string, Solution>;
