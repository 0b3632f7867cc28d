// asciichart ships no type declarations: ascii-chart.ts states the shape it uses.
declare module 'asciichart' {
  const asciichart: unknown;
  export default asciichart;
}
