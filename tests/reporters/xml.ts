/** A parsed XML element: enough structure for the reporter tests. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITY = /&(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string): string {
  // A bare `&` or `<` means the writer forgot to escape: a real parser would reject the document.
  if (/&(?!(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)/.test(raw) || raw.includes('<')) {
    throw new Error(`unescaped markup in ${JSON.stringify(raw)}`);
  }
  return raw.replace(ENTITY, (_, e: string) =>
    e.startsWith('#x')
      ? String.fromCodePoint(parseInt(e.slice(2), 16))
      : e.startsWith('#')
        ? String.fromCodePoint(Number(e.slice(1)))
        : NAMED[e]
  );
}

function parseAttrs(source: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  const rest = source.replace(/\s*([A-Za-z_:][\w:.-]*)="([^"]*)"/g, (_, name: string, value: string) => {
    if (name in attrs) throw new Error(`duplicate attribute ${name}`);
    attrs[name] = decode(value);
    return '';
  });
  if (rest.trim() !== '') throw new Error(`malformed attributes: ${JSON.stringify(rest)}`);
  return attrs;
}

/**
 * A minimal, strict XML parser (no DTD, CDATA, comments or namespaces): checks that tags balance, attributes are
 * quoted and unique, and text and attributes have no unescaped `&` or `<`. Returns the root element.
 */
export function parseXml(xml: string): XmlElement {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '' };
  const stack = [root];
  const tag = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[^\s=/>]+="[^"]*")*)\s*(\/?)>/g;
  let last = 0;
  for (let m = tag.exec(body); m; m = tag.exec(body)) {
    stack[stack.length - 1].text += decode(body.slice(last, m.index));
    last = tag.lastIndex;
    const [, closing, name, attrs, selfClosing] = m;
    if (closing) {
      const open = stack.pop();
      if (open?.name !== name) throw new Error(`</${name}> closes <${open?.name}>`);
      continue;
    }
    const element: XmlElement = { name, attrs: parseAttrs(attrs), children: [], text: '' };
    stack[stack.length - 1].children.push(element);
    if (!selfClosing) stack.push(element);
  }
  if (body.slice(last).trim() !== '') throw new Error('text after the root element');
  if (stack.length !== 1) throw new Error(`<${stack[stack.length - 1].name}> is never closed`);
  if (root.children.length !== 1) throw new Error('expected exactly one root element');
  return root.children[0];
}

/** Every descendant element named `name`, depth first. */
export function findAll(element: XmlElement, name: string): XmlElement[] {
  return element.children.flatMap((child) => [...(child.name === name ? [child] : []), ...findAll(child, name)]);
}
