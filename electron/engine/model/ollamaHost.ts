/**
 * Reads the Ollama host the way Ollama itself reads `OLLAMA_HOST`, because the server and Keel
 * usually share that variable: empty means http://127.0.0.1:11434; `:PORT` and a bare host (or
 * host:port) mean plain http with 11434 as the default port; a written-out scheme without a port
 * means that scheme's own port (80 or 443), exactly as Ollama does. `0.0.0.0` (listen everywhere)
 * is reached through 127.0.0.1. The `ollama` npm client does not read the variable: Keel does.
 *
 * A name under `.localhost` (`ollama.localhost`) is meant to be this machine, but Node hands it to the
 * system resolver, which may ask a DNS server that can answer with any address: prompts would then
 * leave the machine while Keel calls the host local. So Keel resolves such a name itself, to 127.0.0.1.
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
  const url = URL.parse(candidate);
  if (!url) {
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
    url.hostname === '0.0.0.0' || isLocalhostSubdomain(url.hostname)
      ? '127.0.0.1'
      : url.hostname === '[::]'
        ? '[::1]'
        : url.hostname;
  candidate = `${url.protocol}//${hostname}:${port}`;
  const origin = new URL(candidate).origin;
  return { origin, display: new URL(origin).host, isLocal: isLoopbackHostname(hostname) };
}

/**
 * True for names that reach this machine without asking any resolver but the hosts file: `localhost`,
 * 127.x.x.x and ::1. A name under `.localhost` is not trusted by its name (see above).
 */
export function isLoopbackHostname(hostname: string): boolean {
  const bare = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare === '::1') return true;
  return /^127(\.\d{1,3}){3}$/.test(bare);
}

function isLocalhostSubdomain(hostname: string): boolean {
  return /\.localhost\.?$/i.test(hostname);
}
