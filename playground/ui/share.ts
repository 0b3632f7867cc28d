/**
 * The scenario in the page's URL hash, so a teacher can send a link: `#s=` + the YAML text
 * compressed with deflate-raw (CompressionStream, built into browsers and Node 20) and
 * written in base64url, which needs no escaping in a URL. The hash never reaches a server.
 *
 * A link is user input: a hash that is not base64url, not deflate data, or inflates past
 * the largest scenario a file may hold is refused with a sentence, never run or thrown.
 */
import { MAX_SCENARIO_BYTES } from '../../src/scenario/text-file.js';

export const HASH_KEY = 's';

const BASE64URL = /^[A-Za-z0-9_-]*$/;

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  // chunks keep String.fromCharCode's argument list short on a large scenario
  for (let i = 0; i < bytes.length; i += 0x8000) {
    const chunk = bytes.subarray(i, i + 0x8000);
    for (let j = 0; j < chunk.length; j += 1) binary += String.fromCharCode(chunk[j]!);
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The bytes of a base64url string, or null when it is not one. */
export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!BASE64URL.test(text) || text.length % 4 === 1) return null;
  const padded = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  let binary: string;
  try {
    binary = atob(padded);
  } catch {
    return null;
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

async function readAll(stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array | null> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

function streamOf(bytes: Uint8Array<ArrayBuffer>): ReadableStream<BufferSource> {
  return new ReadableStream<BufferSource>({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
}

export async function deflate(text: string): Promise<Uint8Array> {
  const input = new TextEncoder().encode(text);
  const out = await readAll(streamOf(input).pipeThrough(new CompressionStream('deflate-raw')), Number.POSITIVE_INFINITY);
  return out!;
}

/** The inflated text, or null when the bytes are not deflate-raw data of valid UTF-8 within `maxBytes`. */
export async function inflate(bytes: Uint8Array<ArrayBuffer>, maxBytes: number = MAX_SCENARIO_BYTES): Promise<string | null> {
  try {
    const out = await readAll(streamOf(bytes).pipeThrough(new DecompressionStream('deflate-raw')), maxBytes);
    return out === null ? null : new TextDecoder('utf-8', { fatal: true }).decode(out);
  } catch {
    return null;
  }
}

/** `#s=…` for this scenario text. */
export async function scenarioHash(text: string): Promise<string> {
  return `#${HASH_KEY}=${toBase64Url(await deflate(text))}`;
}

export type HashScenario =
  | { kind: 'none' }
  | { kind: 'scenario'; text: string }
  | { kind: 'broken'; message: string };

/** What a page's hash holds: no scenario, a scenario's text, or why the link is broken. */
export async function readScenarioHash(hash: string): Promise<HashScenario> {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const value = params.get(HASH_KEY);
  if (value === null || value === '') return { kind: 'none' };
  const bytes = fromBase64Url(value);
  if (bytes === null) return { kind: 'broken', message: 'its text is not base64url (was the link cut or changed?)' };
  const text = await inflate(bytes);
  if (text === null) {
    return {
      kind: 'broken',
      message: `it is not compressed scenario text, or it is larger than ${MAX_SCENARIO_BYTES / 1024 / 1024} MiB (was the link cut?)`,
    };
  }
  return { kind: 'scenario', text };
}
