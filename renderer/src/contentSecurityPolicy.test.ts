import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, metaContentSecurityPolicy } from '../../shared/security';
import indexHtml from '../index.html?raw';

const sources = import.meta.glob<string>('./**/*.{ts,tsx}', {
  query: '?raw',
  import: 'default',
  eager: true,
});

describe('the Content Security Policy', () => {
  it('is declared in index.html exactly as shared/security.ts writes it', () => {
    const declared = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(indexHtml);
    expect(declared?.[1]).toBe(metaContentSecurityPolicy);
    expect(metaContentSecurityPolicy).toContain("script-src 'self'");
    expect(metaContentSecurityPolicy).toContain("style-src 'self'");
  });

  it('keeps frame-ancestors to the response header, where a browser obeys it', () => {
    expect(contentSecurityPolicy).toContain("frame-ancestors 'none'");
    // In a <meta> it is ignored, and every page load logs an error saying so.
    expect(metaContentSecurityPolicy).not.toContain('frame-ancestors');
    expect(contentSecurityPolicy.replace("; frame-ancestors 'none'", '')).toBe(metaContentSecurityPolicy);
  });

  it('index.html has no inline script or style, and loads nothing remote', () => {
    expect(indexHtml).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(indexHtml).not.toMatch(/<style/);
    expect(indexHtml).not.toMatch(/style=/);
    expect(indexHtml).not.toMatch(/https?:\/\//);
  });

  it('no component sets an inline style', () => {
    const components = Object.entries(sources).filter(([path]) => path.endsWith('.tsx'));
    expect(components.length).toBeGreaterThan(5);
    for (const [path, source] of components) {
      expect(source, path).not.toMatch(/\sstyle=\{/);
      expect(source, path).not.toMatch(/dangerouslySetInnerHTML/);
    }
  });

  it('the workspace never keeps user data in the browser’s storage', () => {
    for (const [path, source] of Object.entries(sources)) {
      if (path.endsWith('.test.ts')) continue;
      // The web host's session token (not user data) is the one thing kept, in this tab only.
      if (path === './services/webSessionToken.ts') {
        expect(source).not.toMatch(/localStorage|indexedDB/);
        expect(source.match(/sessionStorage\.setItem\(([^,]+),/g)).toEqual([
          'sessionStorage.setItem(storageKey,',
        ]);
        continue;
      }
      expect(source, path).not.toMatch(/localStorage|sessionStorage|indexedDB/);
    }
  });
});
