package io.github.genrnn;

import java.lang.ref.Reference;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Bulk copies between contiguous ND4J arrays (float or double) and Java arrays: in the array's own
 * order, or as rows of blocks with one Java array per block ({@link #readBlocks}). A copy keeps its
 * ND4J array reachable until it ends: ND4J frees an array's memory once the array is collected, and
 * the NIO view a copy goes through does not hold the array (without the fence, a temporary array
 * was freed in mid-copy and the JVM crashed).
 */
final class Buffers {
    /** Floats move between ND4J and Java in bulk, through a thread's own array of 4,096 (more for a longer row of blocks). */
    private static final ThreadLocal<float[]> CHUNK = ThreadLocal.withInitial(() -> new float[4096]);

    private Buffers() {
    }

    /** An uninitialised row-major matrix outside any workspace. */
    static INDArray matrix(DataType type, long rows, long columns) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return Nd4j.createUninitialized(type, new long[]{rows, columns}, 'c');
        }
    }

    /**
     * A sequence array [batch, n, steps] as rows [steps·batch, n] (row t·batch + b for example b at
     * step t), row-major and of the type: a view when the array is laid out so, else a copy outside
     * any workspace. {@link GatedLayer#free} releases the copy and leaves the view, and so the array
     * it shows, alone: ND4J makes a reshaped array a view, which is not closeable.
     */
    static INDArray rows(INDArray array, DataType type) {
        long steps = array.size(2), batch = array.size(0), n = array.size(1);
        INDArray permuted = array.permute(2, 0, 1);
        if (array.dataType() == type && permuted.ordering() == 'c' && Shape.hasDefaultStridesForShape(permuted)) {
            return permuted.reshape('c', steps * batch, n);
        }
        INDArray rows = matrix(type, steps * batch, n);
        rows.reshape('c', steps, batch, n).assign(permuted.castTo(type));
        return rows;
    }

    /** A row-major copy of the array, of the type, outside any workspace: always a new array. */
    static INDArray copy(INDArray array, DataType type) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return array.castTo(type).dup('c');
        }
    }

    /** All elements of a contiguous array, in its order. */
    static double[] read(INDArray array) {
        double[] values = new double[(int) array.length()];
        read(array, values, 0);
        return values;
    }

    /**
     * Copies the elements of a contiguous array into {@code target[from]} on. Floats are converted
     * through the thread's own chunk ({@link #CHUNK}), so a step's copies make no garbage.
     */
    static void read(INDArray array, double[] target, int from) {
        read(array, 0, (int) array.length(), target, from);
    }

    /** Copies {@code count} elements of a contiguous array, from its element {@code at} on, into {@code target[from]} on. */
    static void read(INDArray array, int at, int count, double[] target, int from) {
        if (array.dataType() == DataType.DOUBLE) {
            doubles(array).get(at, target, from, count);
        } else {
            FloatBuffer floats = floats(array);
            float[] chunk = CHUNK.get();
            for (int done = 0, n; done < count; done += n) {
                n = Math.min(chunk.length, count - done);
                floats.get(at + done, chunk, 0, n);
                for (int i = 0; i < n; i++) {
                    target[from + done + i] = chunk[i];
                }
            }
        }
        Reference.reachabilityFence(array);
    }

    /** Writes {@code array.length()} values from {@code source[from]} on into a contiguous array. */
    static void write(double[] source, int from, INDArray array) {
        write(source, from, array, 0, (int) array.length());
    }

    /** Writes {@code count} values from {@code source[from]} on into a contiguous array, from its element {@code at} on. */
    static void write(double[] source, int from, INDArray array, int at, int count) {
        if (array.dataType() == DataType.DOUBLE) {
            doubles(array).put(at, source, from, count);
        } else {
            FloatBuffer floats = floats(array);
            float[] chunk = CHUNK.get();
            for (int done = 0, n; done < count; done += n) {
                n = Math.min(chunk.length, count - done);
                for (int i = 0; i < n; i++) {
                    chunk[i] = (float) source[from + done + i];
                }
                floats.put(at + done, chunk, 0, n);
            }
        }
        Reference.reachabilityFence(array);
    }

    /** Adds the elements of a contiguous array to {@code target[from]} on. */
    static void add(INDArray array, double[] target, int from) {
        int n = (int) array.length();
        if (array.dataType() == DataType.DOUBLE) {
            DoubleBuffer doubles = doubles(array);
            for (int i = 0; i < n; i++) {
                target[from + i] += doubles.get(i);
            }
        } else {
            FloatBuffer floats = floats(array);
            float[] chunk = CHUNK.get();
            for (int done = 0, m; done < n; done += m) {
                m = Math.min(chunk.length, n - done);
                floats.get(done, chunk, 0, m);
                for (int i = 0; i < m; i++) {
                    target[from + done + i] += chunk[i];
                }
            }
        }
        Reference.reachabilityFence(array);
    }

    /**
     * Copies rows of blocks from a contiguous array, from its element {@code at} on, into one Java
     * array per block: block b of row r (u elements) to {@code blocks[b][r·u..]}. The layers keep
     * each gate in an array of its own, so that a step's loops read all their arrays at one index.
     */
    static void readBlocks(INDArray array, int at, double[][] blocks, int u) {
        blocks(Move.READ, array, at, blocks, u);
    }

    /** Adds the rows of blocks of a contiguous array to the blocks, as {@link #readBlocks} lays them out. */
    static void addBlocks(INDArray array, double[][] blocks, int u) {
        blocks(Move.ADD, array, 0, blocks, u);
    }

    /** Writes the blocks as rows into a contiguous array, from its element {@code at} on: the inverse of {@link #readBlocks}. */
    static void writeBlocks(double[][] blocks, int u, INDArray array, int at) {
        blocks(Move.WRITE, array, at, blocks, u);
    }

    private enum Move { READ, ADD, WRITE }

    private static void blocks(Move move, INDArray array, int at, double[][] blocks, int u) {
        int count = blocks.length, rowLength = count * u, rows = blocks[0].length / u;
        boolean doubles = array.dataType() == DataType.DOUBLE;
        DoubleBuffer wide = doubles ? doubles(array) : null;
        FloatBuffer floats = doubles ? null : floats(array);
        int perChunk = Math.max(1, 4096 / rowLength);
        float[] chunk = doubles ? null : chunk(perChunk * rowLength);
        for (int first = 0; first < rows; first += perChunk) {
            int n = Math.min(perChunk, rows - first), start = at + first * rowLength;
            if (!doubles && move != Move.WRITE) {
                floats.get(start, chunk, 0, n * rowLength);
            }
            for (int r = first; r < first + n; r++) {
                for (int b = 0; b < count; b++) {
                    double[] block = blocks[b];
                    int from = r * u, c = ((r - first) * count + b) * u;
                    if (doubles) {
                        if (move == Move.WRITE) {
                            wide.put(start + c, block, from, u);
                        } else if (move == Move.READ) {
                            wide.get(start + c, block, from, u);
                        } else {
                            for (int k = 0; k < u; k++) {
                                block[from + k] += wide.get(start + c + k);
                            }
                        }
                    } else if (move == Move.READ) {
                        for (int k = 0; k < u; k++) {
                            block[from + k] = chunk[c + k];
                        }
                    } else if (move == Move.ADD) {
                        for (int k = 0; k < u; k++) {
                            block[from + k] += chunk[c + k];
                        }
                    } else {
                        for (int k = 0; k < u; k++) {
                            chunk[c + k] = (float) block[from + k];
                        }
                    }
                }
            }
            if (!doubles && move == Move.WRITE) {
                floats.put(start, chunk, 0, n * rowLength);
            }
        }
        Reference.reachabilityFence(array);
    }

    /** The thread's own chunk, grown to hold at least {@code size} floats. */
    private static float[] chunk(int size) {
        if (CHUNK.get().length < size) {
            CHUNK.set(new float[size]);
        }
        return CHUNK.get();
    }

    /**
     * For rows that are each one-hot or all zeros, the symbol of each (-1 for zeros); null for any
     * other input. Read some rows at a time, so it stops early and keeps no copy of the rows.
     */
    static int[] oneHotSymbols(INDArray rows) {
        int count = (int) rows.size(0), columns = (int) rows.size(1), chunk = Math.max(1, 4096 / columns);
        double[] x = new double[chunk * columns];
        int[] symbols = new int[count];
        for (int r = 0; r < count; r++) {
            if (r % chunk == 0) {
                read(rows, r * columns, Math.min(chunk, count - r) * columns, x, 0);
            }
            symbols[r] = -1;
            for (int i = 0; i < columns; i++) {
                double value = x[r % chunk * columns + i];
                if (value == 1 && symbols[r] < 0) {
                    symbols[r] = i;
                } else if (value != 0) {
                    return null;
                }
            }
        }
        return symbols;
    }

    private static FloatBuffer floats(INDArray array) {
        return array.data().asNioFloat().position((int) array.offset()).slice();
    }

    private static DoubleBuffer doubles(INDArray array) {
        return array.data().asNioDouble().position((int) array.offset()).slice();
    }
}
