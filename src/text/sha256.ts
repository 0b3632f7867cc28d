/**
 * sha-256 as 64 lowercase hex digits: the scenario hash and a CSV dataset's content hash are
 * computed by the core, which must run without node:crypto (a browser's crypto.subtle is
 * asynchronous only), so it hashes in pure JS (@noble/hashes) unless its host installs a
 * faster one of the same function (useSha256; the Node host installs node:crypto's). Text is
 * hashed as its UTF-8 bytes.
 *
 * Why a host's: a scenario's canonical text grows with its nodes (a gigabyte for 65,536 nodes
 * replaying a 400-sample trace), and @noble/hashes took 17 s over that text where node:crypto
 * takes about one (bench/README.md).
 */
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex } from '@noble/hashes/utils';

/** A running sha-256: bytes in, 64 lowercase hex digits out once. */
export interface Sha256 {
  update(bytes: Uint8Array): void;
  hex(): string;
}

function nobleSha256(): Sha256 {
  const hash = sha256.create();
  return {
    update: (bytes) => void hash.update(bytes),
    hex: () => bytesToHex(hash.digest()),
  };
}

let createSha256: () => Sha256 = nobleSha256;

/** Installs a host's sha-256 (the same function, faster); none: back to the pure-JS one. Returns the one it replaces. */
export function useSha256(create?: () => Sha256): () => Sha256 {
  const previous = createSha256;
  createSha256 = create ?? nobleSha256;
  return previous;
}

const encoder = new TextEncoder();

export function sha256Hex(data: string | Uint8Array): string {
  const hash = createSha256();
  hash.update(typeof data === 'string' ? encoder.encode(data) : data);
  return hash.hex();
}

/** Bytes gathered before they are hashed: 65,536 characters of any kind. */
const BUFFER_BYTES = 3 << 16;

/**
 * A buffer a finished Sha256Text gave back, for the next one: a sweep hashes hundreds of
 * thousands of scenarios of a few kilobytes each, and a fresh zeroed buffer for each was most
 * of the time it spent planning (and of its garbage). One spare is enough: hashes are taken one
 * after the other; one started while another is open (a trace's samples hashed inside a
 * scenario's hash) just makes its own. How the bytes are gathered does not change the hash.
 */
let spare: Uint8Array | null = null;

function takeBuffer(): Uint8Array {
  const buffer = spare ?? new Uint8Array(BUFFER_BYTES);
  spare = null;
  return buffer;
}

/**
 * sha256Hex of a text given in pieces, never held whole (a scenario's canonical text can be
 * longer than one string). Each piece must be whole characters (no surrogate pair split
 * between two pieces), as JSON.stringify's pieces are: the bytes hashed are then those of the
 * whole text. Pieces are encoded into one buffer, reused (a fresh array for each piece, or a
 * join of pieces, made hashing a gigabyte of text take 13 s instead of a few).
 */
export class Sha256Text {
  private readonly hash = createSha256();
  private buffer: Uint8Array | null = takeBuffer();
  private filled = 0;

  update(piece: string): void {
    const buffer = this.openBuffer();
    // UTF-8 takes at most 3 bytes per UTF-16 unit
    if (3 * piece.length > BUFFER_BYTES - this.filled) this.flush(buffer);
    if (3 * piece.length > BUFFER_BYTES) {
      this.hash.update(encoder.encode(piece));
      return;
    }
    this.filled += encoder.encodeInto(piece, buffer.subarray(this.filled)).written;
  }

  /** Once only: the buffer goes back to be reused. */
  hex(): string {
    const buffer = this.openBuffer();
    this.flush(buffer);
    this.buffer = null;
    spare = buffer;
    return this.hash.hex();
  }

  private openBuffer(): Uint8Array {
    if (this.buffer === null) throw new Error('Sha256Text: hex() was already called');
    return this.buffer;
  }

  private flush(buffer: Uint8Array): void {
    if (this.filled === 0) return;
    this.hash.update(buffer.subarray(0, this.filled));
    this.filled = 0;
  }
}
