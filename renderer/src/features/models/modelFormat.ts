/**
 * Models, sizes and token counts in the words and units a person reads: gigabytes as Ollama prints
 * them (decimal), "about 2 min left", "16k tokens".
 */

export { sameModel } from '../../../../shared/domain';

/** A model's name without the `:latest` Ollama adds to every untagged one. */
export function displayModelName(name: string): string {
  return name.endsWith(':latest') ? name.slice(0, -':latest'.length) : name;
}

/** "2.0 GB", "274 MB", "512 KB". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${Math.round(bytes / 1e6)} MB`;
  if (bytes >= 1e3) return `${Math.round(bytes / 1e3)} KB`;
  return `${Math.max(0, Math.round(bytes))} B`;
}

/** "35 MB/s". */
export function formatSpeed(bytesPerSecond: number): string {
  if (bytesPerSecond >= 1e9) return `${(bytesPerSecond / 1e9).toFixed(1)} GB/s`;
  if (bytesPerSecond >= 1e6) return `${Math.round(bytesPerSecond / 1e6)} MB/s`;
  return `${Math.max(1, Math.round(bytesPerSecond / 1e3))} KB/s`;
}

/** "a few seconds left", "about 40 s left", "about 2 min left", "about 1 h 10 min left". */
export function formatTimeLeft(seconds: number): string {
  if (seconds < 10) return 'a few seconds left';
  if (seconds < 60) return `about ${Math.round(seconds / 10) * 10} s left`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} min left`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `about ${hours} h left` : `about ${hours} h ${rest} min left`;
}

/**
 * Token counts: context sizes are powers of two and read as 16k or 128k; other counts in thousands
 * with one decimal (1.2k), small ones as they are.
 */
export function formatTokens(tokens: number): string {
  if (tokens >= 1024 && tokens % 1024 === 0) return `${tokens / 1024}k`;
  if (tokens >= 1000) {
    const thousands = tokens / 1000;
    return `${thousands >= 100 ? Math.round(thousands) : Number(thousands.toFixed(1))}k`;
  }
  return String(Math.max(0, Math.round(tokens)));
}

/** Ollama's status line with a capital letter: "Pulling manifest", "Verifying sha256 digest". */
export function pullStatusText(status: string): string {
  return status ? status.charAt(0).toUpperCase() + status.slice(1) : '';
}

/** The connection speed "typical" means when Keel estimates a download: 50 Mbit/s. */
export const typicalBytesPerSecond = 50_000_000 / 8;

/** "about 4 min at 50 Mbit/s": how long a download takes on a typical connection. */
export function typicalDownloadTime(bytes: number): string {
  const seconds = bytes / typicalBytesPerSecond;
  const time = formatTimeLeft(seconds).replace(/ left$/, '');
  return `${time} at 50 Mbit/s`;
}

/** Memory as a computer's spec sheet gives it (binary gigabytes): "16 GB", "1.5 GB", "300 MB". */
export function formatMemory(bytes: number): string {
  const gb = bytes / 1024 ** 3;
  if (gb >= 10) return `${Math.round(gb)} GB`;
  if (gb >= 1) return `${Number(gb.toFixed(1))} GB`;
  return `${Math.round(bytes / 1024 ** 2)} MB`;
}
