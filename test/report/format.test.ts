import { describe, expect, test } from 'vitest';
import {
  NONE, formatAccuracy, formatCount, formatDuration, formatEfficiency, formatFixed, formatInteger,
  formatLoss, formatMs, formatPercent, formatSeconds, formatSecondsRead, formatVolatility, formatWeight,
} from '../../src/report/format.js';

describe('formatDuration', () => {
  test('a second or more prints in seconds with 3 decimals', () => {
    expect(formatDuration(1234)).toBe('1.234 s');
    expect(formatDuration(61_000)).toBe('61.000 s');
  });

  test('under a second prints whole ms, one decimal under 10 ms', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12.4)).toBe('12 ms');
    expect(formatDuration(2.5)).toBe('2.5 ms');
    expect(formatDuration(0)).toBe('0.0 ms');
  });

  test('from ten minutes on, the exact seconds keep a reading in min or h beside them', () => {
    expect(formatDuration(599_999)).toBe('599.999 s');
    expect(formatDuration(600_000)).toBe('600.000 s (10 min)');
    expect(formatDuration(1_234_567)).toBe('1234.567 s (20.6 min)');
    // 161,368.324 s ÷ 3,600 = 44.824… h
    expect(formatDuration(161_368_324)).toBe('161368.324 s (44.8 h)');
    expect(formatSecondsRead(161_368_324)).toBe('161368.324 s (44.8 h)');
    expect(formatSecondsRead(6420)).toBe('6.420 s');
    expect(formatSecondsRead(null)).toBe(NONE);
  });

  test('values that round up to the next unit switch unit', () => {
    expect(formatDuration(999.7)).toBe('1.000 s');
    expect(formatDuration(9.96)).toBe('10 ms');
  });
});

describe('fixed-precision formatters', () => {
  test('efficiency, weight and volatility have 3 decimals; accuracy and loss 4', () => {
    expect(formatEfficiency(0.85)).toBe('0.850');
    expect(formatWeight(1 / 3)).toBe('0.333');
    expect(formatVolatility(0.0421)).toBe('0.042');
    expect(formatAccuracy(0.91234)).toBe('0.9123');
    expect(formatLoss(0.48216)).toBe('0.4822');
  });

  test('seconds always carry 3 decimals, even at 0', () => {
    expect(formatSeconds(6420)).toBe('6.420 s');
    expect(formatSeconds(0)).toBe('0.000 s');
  });

  test('percent multiplies by 100', () => {
    expect(formatPercent(0.9123)).toBe('91.2%');
    expect(formatPercent(1, 0)).toBe('100%');
  });

  test('ms columns have one decimal', () => {
    expect(formatMs(12.75)).toBe('12.8');
  });

  test('counts are grouped by thousands with commas, independent of locale', () => {
    expect(formatCount(1_234_567)).toBe('1,234,567');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(-1000)).toBe('-1,000');
  });

  test('integers print bare and a half-way median keeps one decimal', () => {
    expect(formatInteger(32)).toBe('32');
    expect(formatInteger(10.5)).toBe('10.5');
  });

  test('a tiny negative value never prints as -0', () => {
    expect(formatFixed(-0.0001, 3)).toBe('0.000');
    expect(formatFixed(-0, 1)).toBe('0.0');
  });

  test('null, undefined, NaN and infinities print as –', () => {
    for (const value of [null, undefined, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(formatDuration(value)).toBe(NONE);
      expect(formatAccuracy(value)).toBe(NONE);
      expect(formatPercent(value)).toBe(NONE);
      expect(formatCount(value)).toBe(NONE);
      expect(formatInteger(value)).toBe(NONE);
      expect(formatSeconds(value)).toBe(NONE);
    }
    expect(NONE).toBe('–');
  });
});
