declare module "damerau-levenshtein" {
  /** Damerau-Levenshtein distance (`steps`) between two strings, with `relative` and `similarity` in 0..1. */
  export default function damerau(
    a: string,
    b: string,
    limit?: number,
  ): { steps: number; relative: number; similarity: number };
}
