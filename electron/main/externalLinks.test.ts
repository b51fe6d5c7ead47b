import { describe, expect, it, vi } from 'vitest';
import { KeelError } from '../../shared/errors';
import { externalLinkUrl } from '../../shared/externalLinks';
import { openExternalLink } from './externalLinks';

describe('externalLinkUrl', () => {
  it.each([
    ['https://example.com/a?b=1#c', 'https://example.com/a?b=1#c'],
    ['http://example.com', 'http://example.com/'],
    ['HTTPS://Example.COM/x', 'https://example.com/x'],
    ['mailto:ada@example.com?subject=Hi', 'mailto:ada@example.com?subject=Hi'],
  ])('opens %s as %s', (value, expected) => {
    expect(externalLinkUrl(value)).toBe(expected);
  });

  it.each([
    ['file:', 'file:///etc/passwd'],
    ['javascript:', 'javascript:alert(1)'],
    ['data:', 'data:text/html,<h1>x</h1>'],
    ['keel:', 'keel://app/index.html'],
    ['a custom protocol handler', 'ms-msdt:/id PCWDiagnostic'],
    ['smb:', 'smb://server/share'],
    ['credentials hiding the host', 'https://example.com@evil.com/'],
    ['credentials', 'https://user:pass@example.com/'],
    ['a relative address', '/index.html'],
    ['no scheme', 'example.com'],
    ['a mail link with no address', 'mailto:'],
    ['the empty string', ''],
    ['a non-string', 42],
    ['an address too long to read', `https://example.com/${'a'.repeat(3000)}`],
  ])('refuses %s', (_why, value) => {
    expect(externalLinkUrl(value)).toBeNull();
  });
});

describe('openExternalLink', () => {
  it('hands the checked address to the system and says what it opened', async () => {
    const open = vi.fn(async () => {});
    await expect(openExternalLink({ url: 'https://example.com' }, open)).resolves.toEqual({
      opened: 'https://example.com/',
    });
    expect(open).toHaveBeenCalledExactlyOnceWith('https://example.com/');
  });

  it('refuses anything else with a message, and never calls the system', async () => {
    const open = vi.fn(async () => {});
    const failure = openExternalLink({ url: 'file:///etc/passwd' }, open);
    await expect(failure).rejects.toBeInstanceOf(KeelError);
    await expect(failure).rejects.toThrow('Keel opens only web (http, https) and mail (mailto) links.');
    expect(open).not.toHaveBeenCalled();
  });
});
