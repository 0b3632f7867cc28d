import { describe, expect, test } from 'vitest';
import { isReporterName, reporters } from '../../src/report/index.js';
import { tinyResult } from './fixtures.js';

const OPTIONS = { version: '0.1.0', trace: false, timing: false, color: false, quiet: true };

describe('reporter registry', () => {
  test('holds the table and json reporters by name', () => {
    expect(Object.keys(reporters)).toEqual(['table', 'json']);
    expect(isReporterName('json')).toBe(true);
    expect(isReporterName('html')).toBe(false);
    expect(isReporterName('toString')).toBe(false);
  });

  test('each reporter turns a RunResult into text with the shared options', () => {
    // Act
    const json = reporters.json(tinyResult(), OPTIONS);
    const table = reporters.table(tinyResult(), OPTIONS);

    // Assert
    expect(JSON.parse(json).schemaVersion).toBe(2);
    expect(table.startsWith('summary · scenario tiny · seed 7')).toBe(true);
  });
});
