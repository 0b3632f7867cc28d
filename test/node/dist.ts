/**
 * A module of the built package (dist/), typed as its source: for the tests that need worker
 * threads, whose entry points exist in dist/ only (npm test builds first).
 */
const DIST = new URL('../../dist/', import.meta.url).href;

export const loadDist = <T>(path: string): Promise<T> => import(DIST + path) as Promise<T>;
