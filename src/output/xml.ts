/**
 * The one XML serialiser of the exports (ALTO, METS): a tree of plain objects in, a UTF-8 XML
 * document out. Every text and attribute value passes through `escapeText` / `escapeAttribute`, so
 * no caller ever writes markup by hand.
 *
 * Layout: 2-space indent; an element whose children are all text is written on one line (no white
 * space is added inside text, which ALTO's CONTENT and METS labels keep as given).
 */
import { InputError } from '../errors.js';

export type XmlAttributeValue = string | number | undefined;

export interface XmlElement {
  readonly name: string;
  /** Written in insertion order; undefined values are left out. */
  readonly attributes: Readonly<Record<string, XmlAttributeValue>>;
  readonly children: readonly XmlNode[];
}

export type XmlNode = XmlElement | string;

/** An element; `children` may hold undefined (left out) so optional parts read inline. */
export function el(
  name: string,
  attributes: Readonly<Record<string, XmlAttributeValue>> = {},
  children: readonly (XmlNode | undefined)[] = [],
): XmlElement {
  return { name, attributes, children: children.filter((c): c is XmlNode => c !== undefined) };
}

// Characters XML 1.0 cannot carry at all (C0 controls but tab, LF, CR; lone surrogates; U+FFFE/F).
// OCR output may contain them: they become U+FFFD rather than failing the document.
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/gu;

export function escapeText(text: string): string {
  return text.replace(NOT_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Also escapes quotes and the white space an XML parser would otherwise normalise to a space. */
export function escapeAttribute(value: string): string {
  return escapeText(value).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

function attributeText(name: string, value: string | number): string {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new InputError(`cannot write XML attribute ${name}: ${value} is not a finite number`, { stage: 'publish' });
  }
  return escapeAttribute(String(value));
}

function write(node: XmlElement, depth: number, out: string[]): void {
  const indent = '  '.repeat(depth);
  let open = `<${node.name}`;
  for (const [name, value] of Object.entries(node.attributes)) {
    if (value !== undefined) open += ` ${name}="${attributeText(name, value)}"`;
  }
  if (node.children.length === 0) {
    out.push(`${indent}${open}/>`);
    return;
  }
  if (node.children.every((c) => typeof c === 'string')) {
    out.push(`${indent}${open}>${node.children.map((c) => escapeText(c as string)).join('')}</${node.name}>`);
    return;
  }
  out.push(`${indent}${open}>`);
  for (const child of node.children) {
    if (typeof child === 'string') out.push(`${indent}  ${escapeText(child)}`);
    else write(child, depth + 1, out);
  }
  out.push(`${indent}</${node.name}>`);
}

/** The document: XML declaration, the tree, a trailing newline. */
export function serialiseXml(root: XmlElement): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  write(root, 0, out);
  return `${out.join('\n')}\n`;
}

const NCNAME = /^[A-Za-z_][A-Za-z0-9._-]*$/u;

/**
 * An xsd:ID from one of our ids. Ours (p1-b4, p1-a2) are NCNames already and stay as they are, so
 * ALTO, METS and the JSON name a block alike; anything else is made one, deterministically.
 */
export function xmlId(raw: string): string {
  if (NCNAME.test(raw)) return raw;
  const cleaned = raw.replace(/[^A-Za-z0-9._-]/gu, '_');
  return /^[A-Za-z_]/u.test(cleaned) ? cleaned : `_${cleaned}`;
}
