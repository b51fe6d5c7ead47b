import { describe, expect, it } from 'vitest';
import {
  formatMemory,
  typicalDownloadTime,
  displayModelName,
  formatBytes,
  formatSpeed,
  formatTimeLeft,
  formatTokens,
  pullStatusText,
  sameModel,
} from './modelFormat';

describe('model names', () => {
  it('treats an untagged name as :latest, ignoring case', () => {
    expect(sameModel('llama3.2', 'llama3.2:latest')).toBe(true);
    expect(sameModel('Llama3.2:latest', 'llama3.2')).toBe(true);
    expect(sameModel('qwen3:4b', 'qwen3')).toBe(false);
  });

  it('leaves :latest out of what is shown', () => {
    expect(displayModelName('llama3.2:latest')).toBe('llama3.2');
    expect(displayModelName('qwen3:4b')).toBe('qwen3:4b');
  });
});

describe('download figures', () => {
  it('says sizes as Ollama does', () => {
    expect(formatBytes(2_019_393_189)).toBe('2.0 GB');
    expect(formatBytes(1_234_000_000)).toBe('1.2 GB');
    expect(formatBytes(274_302_450)).toBe('274 MB');
    expect(formatBytes(2_048)).toBe('2 KB');
    expect(formatBytes(0)).toBe('0 B');
  });

  it('says speed per second', () => {
    expect(formatSpeed(35_200_000)).toBe('35 MB/s');
    expect(formatSpeed(850_000)).toBe('850 KB/s');
    expect(formatSpeed(1_500_000_000)).toBe('1.5 GB/s');
  });

  it('says time left roughly, as a person would', () => {
    expect(formatTimeLeft(3)).toBe('a few seconds left');
    expect(formatTimeLeft(42)).toBe('about 40 s left');
    expect(formatTimeLeft(130)).toBe('about 2 min left');
    expect(formatTimeLeft(3600)).toBe('about 1 h left');
    expect(formatTimeLeft(4200)).toBe('about 1 h 10 min left');
  });

  it('capitalises Ollama’s status line', () => {
    expect(pullStatusText('pulling manifest')).toBe('Pulling manifest');
    expect(pullStatusText('')).toBe('');
  });
});

describe('token counts', () => {
  it('reads context sizes as k and estimates in thousands', () => {
    expect(formatTokens(16_384)).toBe('16k');
    expect(formatTokens(131_072)).toBe('128k');
    expect(formatTokens(1_234)).toBe('1.2k');
    expect(formatTokens(12_000)).toBe('12k');
    expect(formatTokens(850)).toBe('850');
  });
});

describe('download time at a typical speed', () => {
  it('says how long a model takes at 50 Mbit/s', () => {
    expect(typicalDownloadTime(807_694_464)).toBe('about 2 min at 50 Mbit/s');
    expect(typicalDownloadTime(4_920_739_232)).toBe('about 13 min at 50 Mbit/s');
    expect(typicalDownloadTime(146_146_432)).toBe('about 20 s at 50 Mbit/s');
    expect(typicalDownloadTime(30_000)).toBe('a few seconds at 50 Mbit/s');
  });
});

describe('memory', () => {
  it('reads as the spec sheet gives it', () => {
    expect(formatMemory(16 * 1024 ** 3)).toBe('16 GB');
    expect(formatMemory(1.5 * 1024 ** 3)).toBe('1.5 GB');
    expect(formatMemory(300 * 1024 ** 2)).toBe('300 MB');
  });
});
