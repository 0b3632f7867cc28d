import { describe, expect, it } from 'vitest';
import { fromBase64Url, readScenarioHash, scenarioHash, toBase64Url } from '../../playground/ui/share.js';
import { deflate } from '../../playground/ui/share.js';
import { readFileSync } from 'node:fs';
import { linkTooLong, MAX_LINK_CHARS } from '../../src/browser/protocol.js';

const quickstart = readFileSync(new URL('../../scenarios/quickstart.yaml', import.meta.url), 'utf8');

describe('the scenario in the URL hash', () => {
  it('round-trips a bundled scenario byte for byte, shorter than the text', async () => {
    const hash = await scenarioHash(quickstart);
    expect(hash.startsWith('#s=')).toBe(true);
    expect(hash).toMatch(/^#s=[A-Za-z0-9_-]+$/);
    expect(hash.length).toBeLessThan(quickstart.length);
    expect(await readScenarioHash(hash)).toEqual({ kind: 'scenario', text: quickstart });
  });

  it('keeps non-ASCII text, CRLF and a name with markup exactly', async () => {
    const text = 'name: "<img src=x onerror=alert(1)> Größe"\r\nrounds: 3 # ✓\n';
    expect(await readScenarioHash(await scenarioHash(text))).toEqual({ kind: 'scenario', text });
  });

  it('reads the scenario beside other hash parameters, and no scenario as none', async () => {
    const hash = await scenarioHash('rounds: 2\n');
    expect(await readScenarioHash(`#view=1&${hash.slice(1)}`)).toEqual({ kind: 'scenario', text: 'rounds: 2\n' });
    expect(await readScenarioHash('')).toEqual({ kind: 'none' });
    expect(await readScenarioHash('#')).toEqual({ kind: 'none' });
    expect(await readScenarioHash('#s=')).toEqual({ kind: 'none' });
  });

  it('refuses a hash that is not base64url with a sentence', async () => {
    expect(await readScenarioHash('#s=abc$def')).toEqual({
      kind: 'broken', message: 'its text is not base64url (was the link cut or changed?)',
    });
    // one character past a multiple of four cannot be base64
    expect((await readScenarioHash('#s=abcde')).kind).toBe('broken');
  });

  it('refuses bytes that are not deflate data, a cut link and invalid UTF-8', async () => {
    const message = 'it is not compressed scenario text, or it is larger than 4 MiB (was the link cut?)';
    expect(await readScenarioHash('#s=AAAA')).toEqual({ kind: 'broken', message });
    const hash = await scenarioHash(quickstart);
    expect(await readScenarioHash(hash.slice(0, hash.length - 20))).toEqual({ kind: 'broken', message });
    const notUtf8 = toBase64Url(await deflateBytes(new Uint8Array([0xff, 0xfe, 0x41])));
    expect(await readScenarioHash(`#s=${notUtf8}`)).toEqual({ kind: 'broken', message });
  });

  it('refuses a link that inflates past the largest scenario (a deflate bomb) without holding it', async () => {
    const bomb = toBase64Url(await deflate('#'.repeat(5 * 1024 * 1024)));
    expect(bomb.length).toBeLessThan(10_000);
    expect((await readScenarioHash(`#s=${bomb}`)).kind).toBe('broken');
  });

  it('base64url: no +, / or padding, and back', () => {
    const bytes = new Uint8Array(256);
    for (let i = 0; i < 256; i += 1) bytes[i] = i;
    const text = toBase64Url(bytes);
    expect(text).not.toMatch(/[+/=]/);
    expect(Array.from(fromBase64Url(text)!)).toEqual(Array.from(bytes));
    expect(fromBase64Url('a b')).toBeNull();
  });
});

async function deflateBytes(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

describe('share links a browser can open', () => {
  it('a link longer than Chromium opens (2 MiB of characters) is named as such; Copy link and the CLI refuse it', () => {
    expect(MAX_LINK_CHARS).toBe(2_097_152);
    expect(linkTooLong(MAX_LINK_CHARS)).toBeNull();
    expect(linkTooLong(2_490_123)).toBe('the link would be 2,490,123 characters, over the 2,097,152 a Chromium browser opens');
  });
});
