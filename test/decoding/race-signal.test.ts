import { describe, expect, it } from 'vitest';
import { raceSignal } from '../../src/decoding/model-call.js';

describe('raceSignal', () => {
  it('a call whose signal fired before the race rejects with the reason, and the model\'s late rejection is not left unhandled', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown): void => void unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const ctl = new AbortController();
      ctl.abort(new Error('stop'));
      const late = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('model failed late')), 5));
      await expect(raceSignal(late, ctl.signal)).rejects.toThrow('stop');
      await new Promise((r) => setTimeout(r, 30));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('resolves with the model\'s value when the signal does not fire', async () => {
    expect(await raceSignal(Promise.resolve(3), new AbortController().signal)).toBe(3);
  });
});
