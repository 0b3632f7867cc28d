// Types for scripts/docs.mjs, so test/docs.test.ts can call it in-process.
export interface LineRange { from: RegExp; to?: RegExp; inclusive?: boolean }
export type LineSpec = { head: number } | { tail: number } | LineRange;
export interface ExcerptStep {
  cmd: string;
  hidden?: boolean;
  stream?: 'all' | 'stdout';
  exit?: number;
  lines?: LineSpec | LineSpec[];
}
export interface Excerpt { scratch?: boolean; steps: ExcerptStep[] }
export interface DocsResult {
  stale: { id: string; file: string; line: number }[];
  problems: string[];
  rewritten: string[];
  brokenLinks: string[];
}
export const REPO_ROOT: string;
export const COLUMNS: number;
export const EXCERPTS: Record<string, Excerpt>;
export function docFiles(root?: string): string[];
export function findExcerpts(text: string, file?: string): {
  found: { id: string; start: number; end: number; body: string }[];
  problems: string[];
};
export function splitCommand(cmd: string): string[];
export function selectLines(lines: string[], spec?: LineSpec | LineSpec[]): string[];
export function renderExcerpt(id: string, excerpt?: Excerpt): Promise<string>;
export function slug(heading: string): string;
export function anchorsOf(text: string): Set<string>;
export function checkLinks(files: string[], root?: string): string[];
export function runDocs(options?: {
  check?: boolean;
  files?: string[];
  excerpts?: Record<string, Excerpt>;
  jobs?: number;
  root?: string;
}): Promise<DocsResult>;
