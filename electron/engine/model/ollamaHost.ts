/**
 * Reads the Ollama host the way Ollama itself reads `OLLAMA_HOST`, because the server and Keel
 * usually share that variable: empty means http://127.0.0.1:11434; `:PORT` and a bare host (or
 * host:port) mean plain http with 11434 as the default port; a written-out scheme without a port
 * means that scheme's own port (80 or 443), exactly as Ollama does. `0.0.0.0` (listen everywhere)
 * is reached through 127.0.0.1. The `ollama` npm client does not read the variable: Keel does.
 */
import { KeelError } from '../../../shared/errors';

export interface OllamaHost {
  /** The origin every request goes to, e.g. `http://127.0.0.1:11434`. */
  origin: string;
  /** The host and port as a person reads them, e.g. `127.0.0.1:11434`. */
  display: string;
  /** True for loopback addresses: prompts stay on this machine. */
  isLocal: boolean;
}

export const defaultOllamaHost = 'http://127.0.0.1:11434';

export function parseOllamaHost(raw: string | undefined): OllamaHost {
  const text = (raw ?? '').trim();
  if (text === '') return parseOllamaHost(defaultOllamaHost);
  const hasScheme = text.includes('://');
  let candidate = hasScheme ? text : `http://${text.startsWith(':') ? `127.0.0.1${text}` : text}`;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    throw new KeelError(
      'invalid-input',
      `"${text}" is not a host Keel can use. Write it like 127.0.0.1:11434.`,
      {
        field: 'ollamaHost',
      },
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new KeelError('invalid-input', `The Ollama host must use http or https, not ${url.protocol}`, {
      field: 'ollamaHost',
    });
  }
  const port = url.port || (hasScheme ? (url.protocol === 'https:' ? '443' : '80') : '11434');
  const hostname =
    url.hostname === '0.0.0.0' ? '127.0.0.1' : url.hostname === '[::]' ? '[::1]' : url.hostname;
  candidate = `${url.protocol}//${hostname}:${port}`;
  const origin = new URL(candidate).origin;
  return { origin, display: new URL(origin).host, isLocal: isLoopbackHostname(hostname) };
}

export function isLoopbackHostname(hostname: string): boolean {
  const bare = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare.endsWith('.localhost') || bare === '::1') return true;
  return /^127(\.\d{1,3}){3}$/.test(bare);
}
