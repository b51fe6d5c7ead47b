import { describe, expect, it } from 'vitest';
import type { OutboundRecord } from '../../../../shared/domain';
import { requestResult } from './PrivacySection';

const base: OutboundRecord = {
  at: '2026-12-01T10:00:00.000Z',
  method: 'POST',
  origin: 'http://127.0.0.1:11434',
  path: '/api/chat',
  bytesSent: 120,
};

describe('requestResult on the Privacy page', () => {
  it('names a refused redirect and where it pointed', () => {
    expect(
      requestResult({ ...base, status: 307, refused: true, redirectTo: 'http://10.0.0.9:8080/api/chat' }),
    ).toBe('Refused: redirect to http://10.0.0.9:8080/api/chat not followed');
  });

  it('still names a refused host and a plain answer', () => {
    expect(requestResult({ ...base, refused: true })).toBe('Refused: host not allowed');
    expect(requestResult({ ...base, status: 200, durationMs: 40 })).toBe('OK in 40 ms');
  });
});
