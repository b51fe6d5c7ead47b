import { describe, expect, it } from 'vitest';
import { tokenFromFragment } from './webSessionToken';

describe('tokenFromFragment', () => {
  it('reads the token from the address the web host printed', () => {
    expect(tokenFromFragment('#token=AbC-123_xyz7890abcdef')).toBe('AbC-123_xyz7890abcdef');
    expect(tokenFromFragment('token=AbC-123_xyz7890abcdef')).toBe('AbC-123_xyz7890abcdef');
  });

  it('takes nothing that is not a token', () => {
    expect(tokenFromFragment('')).toBeNull();
    expect(tokenFromFragment('#section')).toBeNull();
    expect(tokenFromFragment('#token=')).toBeNull();
    expect(tokenFromFragment('#token=short')).toBeNull();
    expect(tokenFromFragment('#token=has%20space%20in%20it-padding')).toBeNull();
  });
});
