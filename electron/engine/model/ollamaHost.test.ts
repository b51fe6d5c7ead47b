import { describe, expect, it } from 'vitest';
import { parseOllamaHost } from './ollamaHost';

describe('parseOllamaHost', () => {
  it.each([
    [undefined, 'http://127.0.0.1:11434', true],
    ['', 'http://127.0.0.1:11434', true],
    [':11434', 'http://127.0.0.1:11434', true],
    [':9999', 'http://127.0.0.1:9999', true],
    ['localhost', 'http://localhost:11434', true],
    ['0.0.0.0:11434', 'http://127.0.0.1:11434', true],
    ['0.0.0.0', 'http://127.0.0.1:11434', true],
    ['127.0.0.1:8080', 'http://127.0.0.1:8080', true],
    ['http://localhost', 'http://localhost', true],
    ['https://models.example.com', 'https://models.example.com', false],
    ['http://10.0.0.5:11434', 'http://10.0.0.5:11434', false],
    ['[::1]:11434', 'http://[::1]:11434', true],
    ['  example.org  ', 'http://example.org:11434', false],
    ['models.localhost:9999', 'http://127.0.0.1:9999', true],
    ['http://Models.LOCALHOST.', 'http://127.0.0.1', true],
  ])('reads %j as %s', (raw, origin, isLocal) => {
    const host = parseOllamaHost(raw);
    expect(host.origin).toBe(origin);
    expect(host.isLocal).toBe(isLocal);
  });

  it('keeps a written-out scheme on its own port, as Ollama does', () => {
    expect(parseOllamaHost('http://localhost').display).toBe('localhost');
    expect(parseOllamaHost('http://localhost:11434').display).toBe('localhost:11434');
  });

  it('refuses what is not an http host with a readable message', () => {
    expect(() => parseOllamaHost('ftp://x')).toThrow(/http or https/);
    expect(() => parseOllamaHost('http://')).toThrow(/not a host Keel can use/);
  });
});
