/**
 * sha-256 as 64 lowercase hex digits, in pure JS (@noble/hashes): the scenario hash and a CSV
 * dataset's content hash are computed by the core, which must run without node:crypto (a
 * browser's crypto.subtle is asynchronous only). Text is hashed as its UTF-8 bytes.
 */
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';

export function sha256Hex(data: string | Uint8Array): string {
  return bytesToHex(sha256(typeof data === 'string' ? utf8ToBytes(data) : data));
}
