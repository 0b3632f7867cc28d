// d3-array ships no type declarations: node-stats.ts states the one function it uses.
declare module 'd3-array' {
  /** Reorders array[left … right] so that array[k] is the value a sort by `compare` puts there. */
  export function quickselect<T extends ArrayLike<number>>(array: T, k: number, left?: number, right?: number, compare?: (a: number, b: number) => number): T;
}
