/**
 * A small JSON Schema (draft-07) checker covering the keywords scenarioJsonSchema() emits, so
 * tests can confirm that files dtrain accepts are also accepted by an editor using the schema.
 * Returns the paths that fail; empty = valid.
 */
type Schema = Record<string, unknown>;

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function hasType(value: unknown, type: string): boolean {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

export function validate(schema: Schema, value: unknown, root: Schema = schema, path = '$'): string[] {
  if (typeof schema.$ref === 'string') {
    const target = schema.$ref.replace(/^#\/definitions\//, '');
    return validate((root.definitions as Record<string, Schema>)[target]!, value, root, path);
  }
  const errors: string[] = [];
  const fail = (why: string): void => { errors.push(`${path}: ${why}`); };
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type as string[] : [schema.type as string];
    if (!types.some((t) => hasType(value, t))) fail(`type ${types.join('|')}`);
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) fail('enum');
  if (Array.isArray(schema.anyOf) && !(schema.anyOf as Schema[]).some((s) => validate(s, value, root, path).length === 0)) fail('anyOf');
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) fail('minimum');
    if (typeof schema.maximum === 'number' && value > schema.maximum) fail('maximum');
    if (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum) fail('exclusiveMinimum');
    if (typeof schema.exclusiveMaximum === 'number' && value >= schema.exclusiveMaximum) fail('exclusiveMaximum');
  }
  if (typeof value === 'string') {
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) fail('pattern');
    if (typeof schema.minLength === 'number' && value.length < schema.minLength) fail('minLength');
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) fail('minItems');
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) fail('maxItems');
    if (schema.items !== undefined) value.forEach((item, i) => errors.push(...validate(schema.items as Schema, item, root, `${path}[${i}]`)));
  }
  if (typeOf(value) === 'object') {
    const object = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const key of (schema.required ?? []) as string[]) if (!(key in object)) fail(`required ${key}`);
    for (const [key, item] of Object.entries(object)) {
      if (key in properties) errors.push(...validate(properties[key]!, item, root, `${path}.${key}`));
      else if (schema.additionalProperties === false) fail(`additional property ${key}`);
    }
  }
  return errors;
}
