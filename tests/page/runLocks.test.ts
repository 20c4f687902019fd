import { describe, expect, it } from 'vitest';
import { InMemoryLockManager, RunLocks } from '../../src/page/runLocks';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('run locks', () => {
  it('one tab at a time; released locks can be taken by the other tab', async () => {
    const manager = new InMemoryLockManager();
    const tabA = new RunLocks(manager);
    const tabB = new RunLocks(manager);
    expect(await tabA.acquire('r')).toBe(true);
    expect(await tabB.acquire('r')).toBe(false);
    expect(tabB.holds('r')).toBe(false);
    tabA.release('r');
    await tick();
    expect(await tabB.acquire('r')).toBe(true);
  });

  it("a tab's own concurrent requests for a run never read as another tab's (a save and a load at once)", async () => {
    const manager = new InMemoryLockManager();
    const locks = new RunLocks(manager);
    let wrote = false;
    const write = locks.withLock('r', async () => {
      await tick();
      wrote = true;
    });
    const acquired = locks.acquire('r');
    expect(await write).toBe(true);
    expect(await acquired).toBe(true);
    expect(wrote).toBe(true);
    // The load keeps the lock after the write ends.
    expect(locks.holds('r')).toBe(true);
    expect(await new RunLocks(manager).acquire('r')).toBe(false);
  });

  it('a lock taken only for a write is released after it', async () => {
    const manager = new InMemoryLockManager();
    const locks = new RunLocks(manager);
    expect(await locks.withLock('r', async () => undefined)).toBe(true);
    expect(locks.holds('r')).toBe(false);
    await tick();
    expect(await new RunLocks(manager).acquire('r')).toBe(true);
  });
});
