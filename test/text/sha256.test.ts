/**
 * The core's sha-256: pure JS unless its host installs node:crypto's (the Node host does), the
 * same digests either way, and a text given in pieces hashed as the whole text's UTF-8.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { nodeCryptoSha256 } from '../../src/node/host.js';
import { Sha256Text, sha256Hex, useSha256 } from '../../src/text/sha256.js';

const expected = (text: string): string => createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex');

describe.each([
  ['the pure-JS sha-256', () => useSha256()],
  ['a host’s sha-256 (node:crypto)', () => useSha256(nodeCryptoSha256)],
])('%s', (_, install) => {
  afterEach(() => useSha256(nodeCryptoSha256)); // as the Node host left it

  it('gives the standard digests of text and bytes', () => {
    install();
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex(new Uint8Array([0x61, 0x62, 0x63]))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('é → 😀')).toBe(expected('é → 😀'));
  });

  it('hashes a text given in pieces as the whole text, pieces of every size', () => {
    install();
    // whole characters per piece: any code point, surrogate pairs never split
    const piece = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.integer({ min: 60_000, max: 200_000 }).map((n) => 'a'.repeat(n)),
      fc.integer({ min: 1, max: 70_000 }).map((n) => '€'.repeat(n)),
    );
    fc.assert(fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
      const text = new Sha256Text();
      for (const p of pieces) text.update(p);
      expect(text.hex()).toBe(expected(pieces.join('')));
    }), { numRuns: 60 });
  });

  it('hashes texts given in pieces one after another, or one inside another, each as its own text', () => {
    install();
    fc.assert(fc.property(fc.array(fc.array(fc.string({ unit: 'grapheme', maxLength: 30_000 }), { maxLength: 4 }), { minLength: 2, maxLength: 5 }), (texts) => {
      // the first text stays open while the others are hashed whole, then is finished
      const [outer, ...inner] = texts;
      const open = new Sha256Text();
      for (const p of outer!.slice(0, 1)) open.update(p);
      for (const pieces of inner) {
        const text = new Sha256Text();
        for (const p of pieces) text.update(p);
        expect(text.hex()).toBe(expected(pieces.join('')));
      }
      for (const p of outer!.slice(1)) open.update(p);
      expect(open.hex()).toBe(expected(outer!.join('')));
    }), { numRuns: 40 });
  });
});

it('hashes of small texts one after another share one buffer: no 192 KiB array for each', () => {
  let buffers = 0;
  const Real = Uint8Array;
  vi.stubGlobal('Uint8Array', new Proxy(Real, {
    construct(target, args: unknown[]) {
      if (args[0] === 3 << 16) buffers += 1;
      return Reflect.construct(target, args) as object;
    },
  }));
  try {
    for (let i = 0; i < 100; i++) {
      const text = new Sha256Text();
      text.update(`{"seed":${i}}`);
      expect(text.hex()).toBe(expected(`{"seed":${i}}`));
    }
  } finally {
    vi.unstubAllGlobals();
  }
  expect(buffers).toBeLessThanOrEqual(1);
});

it('a text is hashed once: a second hex() is refused', () => {
  const text = new Sha256Text();
  text.update('abc');
  expect(text.hex()).toBe(expected('abc'));
  expect(() => text.hex()).toThrow('Sha256Text: hex() was already called');
});

it('the Node host installs node:crypto’s sha-256', () => {
  const installed = useSha256();
  expect(installed).toBe(nodeCryptoSha256);
  useSha256(installed);
});
