// Types of build-stamp.js, for the tests and benchmarks that import it.
export const STAMP: string;
export type Stamp = { sources: Record<string, { size: number; mtimeMs: number; sha256: string }> };
export function sourceFiles(root: string): string[];
export function stampOf(root: string): Stamp;
export function staleness(root: string, dist?: string): string | undefined;
