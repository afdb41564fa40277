/**
 * Validates JSON against the schemas in schema/. Used by tests; safe to import anywhere.
 *
 * ajv is a devDependency, so it is loaded on first use (ajv is CommonJS, so a synchronous require):
 * importing this module never fails, and a call without ajv installed throws a ConfigError saying so.
 * Each schema is compiled once.
 * Schemas are found relative to this file, which works from src/output and from dist/output alike.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import { ConfigError } from '../errors.js';

export type SchemaName = 'document' | 'article' | 'error';

export interface ValidationResult {
  readonly ok: boolean;
  /** One line per problem: JSON pointer of the value, then what is wrong. Empty when ok. */
  readonly errors: readonly string[];
}

/** Location of `schema/<name>.schema.json`. */
export function schemaUrl(name: SchemaName): URL {
  return new URL(`../../schema/${name}.schema.json`, import.meta.url);
}

let ajv: Ajv | undefined;
const compiled = new Map<SchemaName, ValidateFunction>();

function validator(name: SchemaName): ValidateFunction {
  const cached = compiled.get(name);
  if (cached) return cached;
  ajv ??= createAjv();
  const schema = JSON.parse(readFileSync(schemaUrl(name), 'utf8')) as object;
  const fn = ajv.compile(schema);
  compiled.set(name, fn);
  return fn;
}

function createAjv(): Ajv {
  let AjvClass: typeof Ajv;
  try {
    ({ Ajv: AjvClass } = createRequire(import.meta.url)('ajv') as { Ajv: typeof Ajv });
  } catch (cause) {
    throw new ConfigError('schema validation needs the package ajv (a devDependency), which is not installed', {
      cause,
    });
  }
  return new AjvClass({ allErrors: true, strict: true, allowUnionTypes: true });
}

function describe(e: ErrorObject): string {
  const at = e.instancePath === '' ? '(root)' : e.instancePath;
  const p = e.params as { additionalProperty?: string; allowedValues?: unknown[]; allowedValue?: unknown };
  let detail = '';
  if (p.additionalProperty !== undefined) detail = `: ${p.additionalProperty}`;
  else if (p.allowedValues !== undefined) detail = `: ${p.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  else if (e.keyword === 'const') detail = `: ${JSON.stringify(p.allowedValue)}`;
  return `${at} ${e.message ?? e.keyword}${detail}`;
}

export function validate(name: SchemaName, json: unknown): ValidationResult {
  const fn = validator(name);
  if (fn(json)) return { ok: true, errors: [] };
  return { ok: false, errors: (fn.errors ?? []).map(describe) };
}

/** Checks a parsed document.json against schema/document.schema.json. */
export const validateDocument = (json: unknown): ValidationResult => validate('document', json);
/** Checks a parsed per-article file against schema/article.schema.json. */
export const validateArticle = (json: unknown): ValidationResult => validate('article', json);
/** Checks a parsed error.json against schema/error.schema.json. */
export const validateError = (json: unknown): ValidationResult => validate('error', json);
