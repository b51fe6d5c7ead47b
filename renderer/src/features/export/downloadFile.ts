import type { ExportedFile } from '../../store/slices/exportSlice';

/** The bytes of a base64 string. */
export function decodeBase64(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/**
 * Hands a file to the browser's download (in the desktop window, Electron's save dialog): an
 * `<a download>` on an object URL works the same in both, with nothing sent anywhere.
 */
export function downloadFile(file: ExportedFile | { fileName: string; blob: Blob }): void {
  const blob = 'blob' in file ? file.blob : new Blob([decodeBase64(file.base64)], { type: file.mimeType });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  link.rel = 'noopener';
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started by now; the URL is let go a little later so slow starts still finish.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
