/**
 * vega-lite spec → SVG text, in Node: vega-lite compiles the spec to a vega spec, and a
 * headless vega View (renderer 'none': no DOM, no canvas) renders it with `toSVG()`. The
 * data is inline, so vega's loader is never asked for a file or a URL.
 */
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/**
 * vega numbers its SVG ids (gradients, clip paths) from a process-wide counter, so the same
 * chart gets different ids on each render, and ids must not collide between the charts of
 * one page. Renumber them per chart, in order of appearance, under the chart's own prefix:
 * deterministic output (SPEC §1.1) and unique ids.
 */
export function renumberSvgIds(svg: string, prefix: string): string {
  const ids = [...svg.matchAll(/\sid="([^"]+)"/g)].map((match) => match[1]!);
  const renamed = new Map(ids.map((id, k) => [id, `${prefix}-${k + 1}`]));
  return svg.replace(/(\sid="|url\(#|href="#)([^")]+)/g, (whole, lead: string, id: string) => {
    const next = renamed.get(id);
    return next === undefined ? whole : `${lead}${next}`;
  });
}

/** The chart as a standalone `<svg>` element (with its xmlns attributes); ids start with `idPrefix`. */
export async function renderSvg(spec: TopLevelSpec, idPrefix: string): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return renumberSvgIds(await view.toSVG(), idPrefix);
  } finally {
    view.finalize();
  }
}
