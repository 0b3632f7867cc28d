/** The report's only stylesheet, inlined into the page (no external assets). */
export const STYLE = `
:root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --rule: #d1d9e0; --band: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: var(--ink); background: #fff; }
header, main, footer { max-width: 1180px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 24px; border-bottom: 1px solid var(--rule); }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 36px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--rule); }
h3 { font-size: 15px; margin: 20px 0 6px; }
p.meta, p.caption, p.note, footer { color: var(--muted); }
p.caption { margin: 0 0 10px; max-width: 900px; }
p.alert { padding: 8px 12px; border-left: 4px solid #d1242f; background: #fff5f5; }
p.note { margin: 4px 0 0; font-size: 13px; font-style: italic; }
nav ul { list-style: none; padding: 0; margin: 8px 0 16px; display: flex; flex-wrap: wrap; gap: 6px 18px; }
nav a { color: #0969da; text-decoration: none; }
.charts { display: flex; flex-wrap: wrap; gap: 16px 32px; align-items: flex-start; }
figure.chart { margin: 0; max-width: 100%; overflow-x: auto; }
figure.chart svg { display: block; max-width: none; height: auto; }
table { border-collapse: collapse; margin: 8px 0; font-size: 14px; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
thead th { background: var(--band); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.scenario td:first-child { white-space: nowrap; font-weight: 600; }
details { margin: 8px 0; }
summary { cursor: pointer; color: #0969da; }
footer { margin-top: 40px; padding-top: 12px; padding-bottom: 32px; border-top: 1px solid var(--rule); font-size: 13px; }
`;
