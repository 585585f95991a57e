// A small JSON Schema (2020-12) checker covering the keywords api/openapi.yaml uses, so that
// response bodies can be held against the document without npm packages. Unknown keywords
// are ignored, as JSON Schema says; `format` is not checked.

import assert from 'node:assert/strict';

import { describe } from './http.mjs';
import { operationFor } from './contract.mjs';

const MAX_ERRORS = 20;

function resolveRef(doc, ref) {
  assert.ok(ref.startsWith('#/'), `only local $ref is supported: ${ref}`);
  return ref.slice(2).split('/').reduce((node, key) => node[key.replaceAll('~1', '/')
    .replaceAll('~0', '~')], doc);
}

function typeOf(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeMatches(want, v) {
  const have = typeOf(v);
  return want === have || (want === 'number' && have === 'integer');
}

/** Appends to `errors` every way `v` fails `schema`; `at` is the JSON path for messages. */
function check(doc, schema, v, at, errors) {
  if (errors.length >= MAX_ERRORS || schema === true || schema === undefined) return;
  if (schema.$ref) check(doc, resolveRef(doc, schema.$ref), v, at, errors);
  const err = (msg) => errors.push(`${at}: ${msg}`);

  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => typeMatches(t, v))) {
      err(`is ${typeOf(v)}, want ${types.join('|')}`);
      return;
    }
  }
  if (schema.const !== undefined && v !== schema.const) err(`is not ${schema.const}`);
  if (schema.enum && !schema.enum.includes(v)) err(`${JSON.stringify(v)} not in enum`);
  if (schema.oneOf) {
    const passing = schema.oneOf.filter((s) => {
      const sub = [];
      check(doc, s, v, at, sub);
      return sub.length === 0;
    });
    if (passing.length !== 1) err(`matches ${passing.length} of oneOf, want 1`);
  }
  if (typeof v === 'string') checkString(schema, v, err);
  if (typeof v === 'number') checkNumber(schema, v, err);
  if (Array.isArray(v) && schema.items) {
    v.forEach((item, i) => check(doc, schema.items, item, `${at}[${i}]`, errors));
  }
  if (typeOf(v) === 'object') checkObject(doc, schema, v, at, errors, err);
}

function checkString(schema, v, err) {
  const length = [...v].length; // code points, as JSON Schema counts
  if (schema.minLength !== undefined && length < schema.minLength) err('too short');
  if (schema.maxLength !== undefined && length > schema.maxLength) err('too long');
  if (schema.pattern && !new RegExp(schema.pattern, 'u').test(v)) {
    err(`${JSON.stringify(v)} does not match ${schema.pattern}`);
  }
}

function checkNumber(schema, v, err) {
  if (schema.minimum !== undefined && v < schema.minimum) err(`${v} < ${schema.minimum}`);
  if (schema.maximum !== undefined && v > schema.maximum) err(`${v} > ${schema.maximum}`);
}

function checkObject(doc, schema, v, at, errors, err) {
  for (const name of schema.required ?? []) {
    if (!Object.hasOwn(v, name)) err(`lacks required member '${name}'`);
  }
  if (schema.minProperties !== undefined && Object.keys(v).length < schema.minProperties) {
    err('too few members');
  }
  const props = schema.properties ?? {};
  for (const [name, value] of Object.entries(v)) {
    if (Object.hasOwn(props, name)) {
      check(doc, props[name], value, `${at}.${name}`, errors);
    } else if (schema.additionalProperties === false) {
      err(`has undocumented member '${name}'`);
    } else if (typeof schema.additionalProperties === 'object') {
      check(doc, schema.additionalProperties, value, `${at}.${name}`, errors);
    }
  }
}

/** Errors of `value` against `schema` (an object of the document `doc`); [] when it fits. */
export function validate(doc, schema, value) {
  const errors = [];
  check(doc, schema, value, '$', errors);
  return errors;
}

/**
 * Asserts that a response is documented for the operation it hit and that its JSON body
 * fits the documented schema for its status and content type.
 */
export function expectConforms(doc, res) {
  const o = operationFor(doc, res.method, res.path);
  assert.ok(o, `no documented operation for ${res.method} ${res.path}`);
  let documented = o.op.responses[String(res.status)];
  assert.ok(documented, `openapi.yaml lists no ${res.status} for ${o.method} ${o.template}: ` +
    describe(res));
  if (documented.$ref) documented = resolveRef(doc, documented.$ref);
  const ctype = (res.headers.get('content-type') ?? '').split(';')[0].trim();
  if (!documented.content) {
    assert.equal(res.text, '', `${o.method} ${o.template} ${res.status} documents no body`);
    return;
  }
  const media = documented.content[ctype];
  assert.ok(media, `${o.method} ${o.template} ${res.status}: undocumented type '${ctype}'`);
  if (ctype.endsWith('json')) {
    const errors = validate(doc, media.schema, res.json);
    assert.deepEqual(errors, [], `${o.method} ${o.template} ${res.status} body does not fit ` +
      `openapi.yaml:\n${errors.join('\n')}\n${describe(res)}`);
  }
}
