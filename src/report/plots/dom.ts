/**
 * A minimal DOM for drawing SVG with d3 in Node: just what d3-selection (append, insert, attr, text,
 * data joins, remove) and d3-axis ask of a node, and the serialization of an element as a browser's
 * `outerHTML` gives it (the HTML fragment serialization algorithm, §13.3 of the HTML standard, for
 * elements outside the HTML namespace: every element with an end tag, attribute values escaping
 * `&`, U+00A0 and `"`, text escaping `&`, U+00A0, `<` and `>`).
 *
 * It replaces jsdom for the report. Measured on RCBD's report (256 chains): jsdom took ~1.6 s to load
 * and ~0.8 s to draw into, after sampling, the largest share of `glmm fit --out` beyond the fit; this
 * document loads in milliseconds and the same report takes ~0.25–0.35 s, mostly d3's paths and the
 * serialization, with byte-identical output (test/report/plots/dom.test.ts).
 * Selectors are the three forms d3 and the plots use (`tag`, `.class`, `tag.class`, `:first-child`);
 * any other throws, so a new use fails in the plot tests instead of drawing wrongly.
 */

/** A text node. */
class TextNode {
  parentNode: SvgElement | null = null;
  constructor(public data: string) {}
}

type Child = SvgElement | TextNode;

/** The one document every element belongs to; the root element is in the XHTML namespace, as a page's. */
export class SvgDocument {
  readonly documentElement: SvgElement;
  constructor() {
    this.documentElement = new SvgElement(this, 'http://www.w3.org/1999/xhtml', 'html');
  }
  createElementNS(namespaceURI: string, name: string): SvgElement {
    return new SvgElement(this, namespaceURI, name);
  }
  createElement(name: string): SvgElement {
    return new SvgElement(this, 'http://www.w3.org/1999/xhtml', name);
  }
}

/** A parsed selector: a tag, a class, both, or `:first-child`. */
type Matcher = (e: SvgElement, index: number) => boolean;

function compileSelector(selector: string): Matcher {
  if (selector === ':first-child') return (_e, i) => i === 0;
  const m = /^([a-zA-Z][\w-]*)?(?:\.([\w-]+))?$/.exec(selector);
  if (!m || (!m[1] && !m[2])) throw new Error(`the report's SVG document does not support the selector "${selector}"`);
  const [, tag, cls] = m;
  return (e) => (!tag || e.tagName === tag) && (!cls || (e.getAttribute('class') ?? '').split(/\s+/).includes(cls));
}

/** An element: attributes in insertion order, children, and d3's own properties (`__data__`, `__axis`). */
export class SvgElement {
  parentNode: SvgElement | null = null;
  readonly childNodes: Child[] = [];
  private readonly attrs = new Map<string, string>();
  [d3Property: `__${string}`]: unknown;

  constructor(readonly ownerDocument: SvgDocument, readonly namespaceURI: string, readonly tagName: string) {}

  setAttribute(name: string, value: unknown): void {
    this.attrs.set(name, String(value));
  }
  setAttributeNS(_ns: string | null, name: string, value: unknown): void {
    this.setAttribute(name, value);
  }
  getAttribute(name: string): string | null {
    return this.attrs.get(name) ?? null;
  }
  removeAttribute(name: string): void {
    this.attrs.delete(name);
  }
  removeAttributeNS(_ns: string | null, name: string): void {
    this.attrs.delete(name);
  }

  get textContent(): string {
    return this.childNodes.map((c) => (c instanceof TextNode ? c.data : c.textContent)).join('');
  }
  set textContent(value: unknown) {
    for (const c of this.childNodes) c.parentNode = null;
    this.childNodes.length = 0;
    const text = value == null ? '' : String(value);
    if (text !== '') this.appendChild(new TextNode(text));
  }

  appendChild<T extends Child>(child: T): T {
    return this.insertBefore(child, null);
  }
  insertBefore<T extends Child>(child: T, next: Child | null): T {
    child.parentNode?.removeChild(child);
    const at = next ? this.childNodes.indexOf(next) : -1;
    if (at < 0) this.childNodes.push(child);
    else this.childNodes.splice(at, 0, child);
    child.parentNode = this;
    return child;
  }
  removeChild<T extends Child>(child: T): T {
    const at = this.childNodes.indexOf(child);
    if (at >= 0) this.childNodes.splice(at, 1);
    child.parentNode = null;
    return child;
  }

  querySelectorAll(selector: string): SvgElement[] {
    const match = compileSelector(selector);
    const found: SvgElement[] = [];
    const walk = (e: SvgElement): void => {
      let index = 0;
      for (const c of e.childNodes) {
        if (!(c instanceof SvgElement)) continue;
        if (match(c, index++)) found.push(c);
        walk(c);
      }
    };
    walk(this);
    return found;
  }
  querySelector(selector: string): SvgElement | null {
    return this.querySelectorAll(selector)[0] ?? null;
  }

  /** The attributes as [name, value] pairs, in the order they were first set. */
  attributeEntries(): IterableIterator<[string, string]> {
    return this.attrs.entries();
  }

  /** The element as markup, as a browser's `outerHTML`. */
  get outerHTML(): string {
    const parts: string[] = [];
    serialize(this, parts);
    return parts.join('');
  }
}

const escapeAttribute = (s: string): string => s.replace(/&/g, '&amp;').replace(/\u00a0/g, '&nbsp;').replace(/"/g, '&quot;');
const escapeText = (s: string): string => s.replace(/&/g, '&amp;').replace(/\u00a0/g, '&nbsp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function serialize(e: SvgElement, parts: string[]): void {
  parts.push('<', e.tagName);
  for (const [name, value] of e.attributeEntries()) parts.push(' ', name, '="', escapeAttribute(value), '"');
  parts.push('>');
  for (const c of e.childNodes) {
    if (c instanceof SvgElement) serialize(c, parts);
    else parts.push(escapeText(c.data));
  }
  parts.push('</', e.tagName, '>');
}

