import { describe, expect, it } from 'vitest';
import { isSafeUrl, renderMarkdown } from './markdown.ts';

describe('renderMarkdown', () => {
  it('renders the usual help: headings, tables, code, lists', () => {
    const html = renderMarkdown('# rsi\n\n| a | b |\n|---|---|\n| 1 | `2` |\n\n- one\n\n```yaml\nx: <y>\n```\n');
    expect(html).toContain('<h1>rsi</h1>');
    expect(html).toContain('<table>');
    expect(html).toContain('<code>2</code>');
    expect(html).toContain('<li>one</li>');
    expect(html).toContain('x: &lt;y&gt;');
  });

  it('never lets raw HTML through', () => {
    const html = renderMarkdown('hi <script>alert(1)</script>\n\n<img src=x onerror="alert(1)">\n\n<div onclick="x()">a</div>');
    expect(html).not.toMatch(/<script|<img|<div|onerror="|onclick="/i);
    expect(html).toContain('&lt;script&gt;');
  });

  it('keeps only http(s) and mailto links, and drops images', () => {
    expect(renderMarkdown('[a](https://example.com)')).toContain('<a href="https://example.com" target="_blank" rel="noopener noreferrer">a</a>');
    for (const bad of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'java\tscript:alert(1)', 'javascript&#58;alert(1)', 'data:text/html,<script>x</script>', 'vbscript:x']) {
      const html = renderMarkdown(`[click](${bad})`);
      expect(html).not.toContain('<a ');
      expect(html).toContain('click');
    }
    expect(renderMarkdown('[doc](../reference/nodes.md)')).not.toContain('<a ');
    expect(renderMarkdown('![alt text](https://example.com/x.png)')).not.toContain('<img');
    expect(isSafeUrl('mailto:a@b.c')).toBe(true);
    expect(isSafeUrl('/relative')).toBe(false);
  });

  it('escapes attribute values', () => {
    const html = renderMarkdown('[a](https://example.com/"onmouseover="x "t\\"itle")');
    expect(html).not.toMatch(/"\s*onmouseover=/);
  });
});
