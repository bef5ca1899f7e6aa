package io.github.genrnn;

import java.util.Arrays;

/** Counts kept under long keys in open addressing: the n-gram model's tables, without a boxed object per entry. */
final class LongCounts {
    private static final long EMPTY = Long.MIN_VALUE;
    private long[] keys = new long[16];
    private long[] values = new long[16];
    private int size;

    LongCounts() {
        Arrays.fill(keys, EMPTY);
    }

    /** Adds {@code amount} to the value under {@code key} and returns the new value. */
    long add(long key, long amount) {
        int slot = slot(key);
        if (keys[slot] == EMPTY) {
            keys[slot] = key;
            if (++size * 2 > keys.length) {
                grow();
                slot = slot(key);
            }
        }
        return values[slot] += amount;
    }

    /** The value under {@code key}, 0 when there is none. */
    long get(long key) {
        int slot = slot(key);
        return keys[slot] == EMPTY ? 0 : values[slot];
    }

    /** How many keys there are. */
    int size() {
        return size;
    }

    private int slot(long key) {
        int mask = keys.length - 1;
        int slot = (int) (mix(key) & mask);
        while (keys[slot] != EMPTY && keys[slot] != key) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private static long mix(long key) {
        key ^= key >>> 33;
        key *= 0xff51afd7ed558ccdL;
        return key ^ key >>> 33;
    }

    private void grow() {
        long[] oldKeys = keys, oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new long[oldKeys.length * 2];
        Arrays.fill(keys, EMPTY);
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                int slot = slot(oldKeys[i]);
                keys[slot] = oldKeys[i];
                values[slot] = oldValues[i];
            }
        }
    }
}
