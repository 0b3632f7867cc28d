/**
 * A canonical JSON text of plain data: object keys sorted, no whitespace, numbers in
 * JSON.stringify's shortest round-trip form. Two values that are equal as data give the same
 * text whatever order their keys were built in, so the text can be hashed (scenario hashes,
 * sweep run keys).
 *
 * The text of a resolved scenario grows with its nodes, and a node replaying a trace carries
 * the trace's samples: 65,536 nodes replaying a 370-sample trace made a text longer than one
 * JavaScript string can hold, and `dtrain simulate --json` failed for it. So the text is also
 * written in pieces (writeCanonicalJson: an object or array piece by piece, an array's items
 * one piece each), for the scenario hash to take as they come. An object or array met again
 * (the nodes of a group share their latency, a trace's samples) is written from its text
 * the first time, and a set of keys is sorted once.
 *
 * Data too large to hold as plain values (a trace's samples, kept as columns) is given as
 * CanonicalPieces: its text, written in pieces when it is reached, never held whole.
 */
export function canonicalJson(value: unknown): string {
  const pieces: string[] = [];
  writeCanonicalJson(value, (piece) => pieces.push(piece));
  return pieces.join('');
}

/** canonicalJson(value), handed to `emit` in pieces (their concatenation is the text). */
export function writeCanonicalJson(value: unknown, emit: (piece: string) => void): void {
  new CanonicalWriter(emit).write(value);
}

/** A field's text at least this long is emitted as a piece of its own (CanonicalWriter.writeItem). */
const LONG_PIECE = 1024;

/**
 * A value that writes its own canonical text, handing it to `emit` in pieces of whole
 * characters: for data whose plain form would be millions of objects (a trace's samples).
 */
export class CanonicalPieces {
  constructor(readonly write: (emit: (piece: string) => void) => void) {}
}

/**
 * The text of CanonicalPieces met again is kept up to this length (65,536 nodes replaying one
 * 400-sample trace write it for each node); a longer one is written again each time, never held.
 */
const KEPT_PIECES_CHARS = 1 << 20;

/**
 * CanonicalPieces inside a text built as one string stand there as a mark, NUL, its number,
 * NUL, written out when the text is emitted: no canonical text holds a NUL of its own (JSON
 * escapes it in strings), and a text that holds marks stays short enough to be remembered.
 */
const MARK = '\u0000';

class CanonicalWriter {
  /**
   * The text of each object or array made whole a second time, for the times after (data is
   * not changed while written); one met once is only noted, as most are (each node's own
   * fields): keeping their texts held hundreds of megabytes at 131,072 nodes.
   */
  private readonly texts = new WeakMap<object, string>();
  private readonly metOnce = new WeakSet<object>();
  /** each key set met, by its keys in their own order: its keys sorted, and each one's `"key":` */
  private readonly orders = new Map<string, KeyOrder>();
  private lastOrder: KeyOrder = { own: [], keys: [], prefixes: [] };
  /** the CanonicalPieces marked in a text, by their number in the mark */
  private readonly marked: CanonicalPieces[] = [];
  private readonly markOf = new Map<CanonicalPieces, string>();

  constructor(private readonly sink: (piece: string) => void) {}

  /** Emits the value: objects and arrays piece by piece, each array item whole. */
  write(value: unknown): void {
    if (value === null || typeof value !== 'object') {
      this.emit(primitive(value));
      return;
    }
    if (value instanceof CanonicalPieces) {
      this.writePieces(value);
      return;
    }
    const known = this.texts.get(value);
    if (known !== undefined) {
      this.emit(known);
      return;
    }
    if (Array.isArray(value)) {
      this.emit('[');
      value.forEach((item, k) => this.writeItem(item, k === 0 ? '' : ','));
      this.emit(']');
      return;
    }
    this.emit('{');
    this.fields(value as Record<string, unknown>).forEach(([prefix, item], k) => {
      this.emit(k === 0 ? prefix : `,${prefix}`);
      this.write(item);
    });
    this.emit('}');
  }

  /**
   * An array item after `separator`: one piece, except that a field whose text is long (a
   * trace's samples, shared by the nodes replaying it) is a piece of its own, the string
   * remembered for it. Joined into each node's text, it was copied again for every node
   * (30,000 nodes replaying a 374-sample trace: 330 MB copied, 1.2 s of a scenario hash).
   */
  private writeItem(item: unknown, separator: string): void {
    // an item met before goes whole (its text remembered from now on)
    if (item === null || typeof item !== 'object' || Array.isArray(item) || item instanceof CanonicalPieces || this.metOnce.has(item)) {
      this.emit(separator + this.text(item));
      return;
    }
    this.metOnce.add(item);
    this.emit(this.recordText(item as Record<string, unknown>, separator, true));
  }

  /** The value's text as one string, remembered for an object or array met again. */
  private text(value: unknown): string {
    if (value === null || typeof value !== 'object') return primitive(value);
    if (value instanceof CanonicalPieces) return this.mark(value);
    const known = this.texts.get(value);
    if (known !== undefined) return known;
    const text = Array.isArray(value) ? this.arrayText(value) : this.recordText(value as Record<string, unknown>);
    if (this.metOnce.has(value)) this.texts.set(value, text);
    else this.metOnce.add(value);
    return text;
  }

  private arrayText(items: readonly unknown[]): string {
    let text = '[';
    for (let k = 0; k < items.length; k++) text += k === 0 ? this.text(items[k]) : `,${this.text(items[k])}`;
    return `${text}]`;
  }

  /**
   * A record's text by concatenation (no array of fields for each of 131,072 nodes) after
   * `separator`; with `emitLong`, the text so far and each long field's text are emitted as
   * they come, and the rest returned.
   */
  private recordText(record: Record<string, unknown>, separator = '', emitLong = false): string {
    const { keys, prefixes } = this.order(record);
    let text = `${separator}{`;
    let first = true;
    for (let k = 0; k < keys.length; k++) {
      const item = record[keys[k]!];
      if (item === undefined) continue;
      text += first ? prefixes[k]! : `,${prefixes[k]!}`;
      first = false;
      const itemText = this.text(item);
      if (emitLong && itemText.length >= LONG_PIECE) {
        this.emit(text);
        this.emit(itemText);
        text = '';
      } else {
        text += itemText;
      }
    }
    return `${text}}`;
  }

  /** Hands the piece on, each mark in it written out in its place. */
  private emit(piece: string): void {
    let at = piece.indexOf(MARK);
    if (at < 0) {
      this.sink(piece);
      return;
    }
    let from = 0;
    for (; at >= 0; at = piece.indexOf(MARK, from)) {
      if (at > from) this.sink(piece.slice(from, at));
      const end = piece.indexOf(MARK, at + 1);
      this.writePieces(this.marked[Number(piece.slice(at + 1, end))]!);
      from = end + 1;
    }
    if (from < piece.length) this.sink(piece.slice(from));
  }

  private mark(pieces: CanonicalPieces): string {
    let mark = this.markOf.get(pieces);
    if (mark === undefined) {
      mark = `${MARK}${this.marked.length}${MARK}`;
      this.marked.push(pieces);
      this.markOf.set(pieces, mark);
    }
    return mark;
  }

  /** Writes the pieces' text; met a second time, a short one is kept for the times after. */
  private writePieces(pieces: CanonicalPieces): void {
    const known = this.texts.get(pieces);
    if (known !== undefined) {
      this.sink(known);
      return;
    }
    if (!this.metOnce.has(pieces)) {
      this.metOnce.add(pieces);
      pieces.write(this.sink);
      return;
    }
    let text = '';
    pieces.write((piece) => {
      this.sink(piece);
      if (text.length <= KEPT_PIECES_CHARS) text += piece;
    });
    if (text.length <= KEPT_PIECES_CHARS) this.texts.set(pieces, text);
  }

  /** The record's defined fields in key order, each with its `"key":`. */
  private fields(record: Record<string, unknown>): Array<[string, unknown]> {
    const { keys, prefixes } = this.order(record);
    const fields: Array<[string, unknown]> = [];
    for (let k = 0; k < keys.length; k++) {
      const item = record[keys[k]!];
      if (item !== undefined) fields.push([prefixes[k]!, item]);
    }
    return fields;
  }

  private order(record: Record<string, unknown>): KeyOrder {
    const own = Object.keys(record);
    // records of one shape come in runs (a scenario's nodes): the last one's order, unlooked-up
    if (sameKeys(own, this.lastOrder.own)) return this.lastOrder;
    // as JSON, so that no two key sets share an id
    const id = JSON.stringify(own);
    let order = this.orders.get(id);
    if (order === undefined) {
      const keys = own.slice().sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      order = { own, keys, prefixes: keys.map((key) => `${JSON.stringify(key)}:`) };
      this.orders.set(id, order);
    }
    this.lastOrder = order;
    return order;
  }
}

/** A key set in its own order, its keys sorted, and each one's `"key":`. */
interface KeyOrder {
  own: readonly string[];
  keys: string[];
  prefixes: string[];
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

/**
 * undefined only occurs as a missing field, which JSON leaves out; NaN/Infinity → null. A finite
 * number's JSON is its String (ECMA-262 SerializeJSONProperty), without JSON.stringify's setup
 * for every field of every node.
 */
/** A number's canonical text (NaN and ±Infinity as null, as JSON writes them). */
export function canonicalNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}

function primitive(value: unknown): string {
  if (typeof value === 'number') return canonicalNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return JSON.stringify(value ?? null) ?? 'null';
}
