// Types for scripts/build-confusables.mjs, so the look-alike test can check the committed table.
export const TABLE_MODULE: string;
export function tableModule(): string;
