import { Marked, type Tokens } from 'marked';

/**
 * Node help (markdown written in the repository, served by /api/nodes) → HTML for the inspector.
 * Nothing in the source can run script: raw HTML is shown as text, only http(s) and mailto links
 * are links (others become plain text), images become their alt text (no remote fetches).
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function decodeEntities(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);?/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);?/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&colon;/gi, ':')
    .replace(/&tab;|&newline;/gi, '');
}

/** http(s) and mailto URLs only; whitespace and control characters are ignored as browsers do. */
export function isSafeUrl(href: string): boolean {
  // eslint-disable-next-line no-control-regex
  const compact = decodeEntities(href).replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(compact);
  return scheme !== null && ['http', 'https', 'mailto'].includes(scheme[1]!.toLowerCase());
}

const marked = new Marked({ gfm: true, breaks: false, async: false });
marked.use({
  renderer: {
    html(token: Tokens.HTML | Tokens.Tag) {
      return escapeHtml(token.text);
    },
    link(token: Tokens.Link) {
      const text = this.parser.parseInline(token.tokens);
      if (!isSafeUrl(token.href)) return `<span class="md-link" title="${escapeHtml(token.href)}">${text}</span>`;
      const title = token.title ? ` title="${escapeHtml(token.title)}"` : '';
      return `<a href="${escapeHtml(token.href)}"${title} target="_blank" rel="noopener noreferrer">${text}</a>`;
    },
    image(token: Tokens.Image) {
      return escapeHtml(token.text);
    },
  },
});

export function renderMarkdown(source: string): string {
  return marked.parse(source, { async: false }) as string;
}
