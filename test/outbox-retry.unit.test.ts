import { retryAfterSend } from '../activities/outbox';

describe('recording a mail already sent outlasts a short database outage', () => {
  const noPause = async () => undefined;

  test.each([
    [0, 1],
    [1, 2],
    [3, 4],
  ])('%i failures before the database answers: %i attempts, and the write succeeds', async (failures, attempts) => {
    let calls = 0;
    const write = async () => {
      calls++;
      if (calls <= failures) throw new Error('connection refused');
      return 'recorded';
    };
    await expect(retryAfterSend(write, [1, 1, 1, 1, 1], noPause)).resolves.toBe('recorded');
    expect(calls).toBe(attempts);
  });

  test('when the pauses are spent, the last error reaches the activity (Temporal retries it)', async () => {
    let calls = 0;
    const pauses: number[] = [];
    const write = async () => {
      calls++;
      throw new Error(`down ${calls}`);
    };
    await expect(retryAfterSend(write, [10, 20], async (ms) => { pauses.push(ms); })).rejects.toThrow('down 3');
    expect(calls).toBe(3);
    expect(pauses).toEqual([10, 20]);
  });
});
