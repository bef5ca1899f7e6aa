package io.github.genrnn;

import static io.github.genrnn.GatedParamInitializer.B;
import static io.github.genrnn.GatedParamInitializer.RW;
import static io.github.genrnn.GatedParamInitializer.W;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.Arrays;
import java.util.Map;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.BaseRecurrentLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What the course's recurrent layers ({@link GruLayer}, {@link FusedLstmLayer}) share beyond their
 * equations. Both work on rows of (step, example) pairs: row t·batch + b holds example b at step t.
 * A step's gates are computed in Java arrays of doubles, one per gate with example r's units at
 * r·u, in loops that read all their arrays at one index and are short: Java 17's JIT vectorises no
 * loop that mixes arrays at different offsets, nor one too long to unroll (bench/RESULTS.md). They
 * are kept, with whatever else the backward pass needs, in ND4J arrays of the network's type: off
 * the Java heap, where arrays as long as the minibatch outlived young collections and filled the
 * old generation. BLAS does the products of each step (h·RW forward, its transpose backward:
 * {@link BlockProduct}) and ND4J those made once per sequence (Hᵀ·dA, Xᵀ·dA, dA·Wᵀ); each step's
 * σ and tanh run over a gate's whole array ({@link Gates}).
 */
abstract class GatedLayer<C extends org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer> extends BaseRecurrentLayer<C> {

    /** For arrays outside any workspace: one manager for every pass (making one took 2–3% of a step's Java time). */
    static final LayerWorkspaceMgr NO_WORKSPACES = LayerWorkspaceMgr.noWorkspacesImmutable();

    private Map<String, INDArray> carried;

    GatedLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray rnnTimeStep(INDArray input, LayerWorkspaceMgr workspaces) {
        setInput(input, workspaces);
        return activateFrom(stateMap, true, false, workspaces);
    }

    @Override
    public INDArray rnnActivateUsingStoredState(INDArray input, boolean training, boolean storeLast,
                                                LayerWorkspaceMgr workspaces) {
        if (training && storeLast) {
            throw truncatedBackpropagation();
        }
        setInput(input, workspaces);
        return activateFrom(tBpttStateMap, storeLast, training, workspaces);
    }

    /**
     * Carries the state from one training minibatch to the next ({@link StreamTraining}): each forward
     * pass starts from the state in the map (zeros when it is empty) and leaves its last step's state
     * there; the backward pass stops at the minibatch's first step. {@code null} turns it off.
     */
    void carry(Map<String, INDArray> state) {
        this.carried = state;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaces) {
        return activateFrom(carried != null ? carried : Map.of(), carried != null, training, workspaces);
    }

    /** A backward pass needs the forward pass it follows when the state is carried: recomputed, it would start elsewhere. */
    void requireForwardPass(boolean kept) {
        if (carried != null && !kept) {
            throw new IllegalStateException("The backward pass of a carried state needs its own forward pass; none was kept.");
        }
    }

    /** Refuses a stored state h0 made for another number of sequences than the input's. */
    void requireStateFor(INDArray h0, int batch) {
        if (h0 != null && h0.size(0) != batch) {
            throw new IllegalStateException("The " + layerConf().getClass().getSimpleName() + " layer's stored state is for "
                    + h0.size(0) + " sequences, the input has " + batch + ": call rnnClearPreviousState() before a batch of "
                    + "another size" + (carried != null ? " (the state carried by StreamTraining is cleared when its run ends)." : "."));
        }
    }

    /** The activations from the state kept in {@code state} (zeros when empty), keeping the last step's there when asked. */
    abstract INDArray activateFrom(Map<String, INDArray> state, boolean storeLast, boolean training, LayerWorkspaceMgr workspaces);

    @Override
    public Pair<Gradient, INDArray> tbpttBackpropGradient(INDArray epsilon, int length, LayerWorkspaceMgr workspaces) {
        throw truncatedBackpropagation();
    }

    /**
     * DL4J 1.0.0-M2.1 trains truncated BPTT by storing state in the forward pass and never calls
     * {@link #tbpttBackpropGradient}; the backward passes here start from zeros, so it is refused.
     */
    UnsupportedOperationException truncatedBackpropagation() {
        return new UnsupportedOperationException("The " + layerConf().getClass().getSimpleName() + " layer does not support "
                + "truncated backpropagation through time; train with BackpropType.Standard (the default).");
    }

    int units() {
        return (int) layerConf().getNOut();
    }

    /**
     * Frees the off-heap memory of arrays made for one pass as soon as it ends, instead of whenever
     * the collector finds them: in a small heap those can be many passes' worth. Views and arrays
     * in a workspace are not closeable and are left alone.
     */
    static void free(INDArray... arrays) {
        for (INDArray array : arrays) {
            if (array != null && array.closeable()) {
                array.close();
            }
        }
    }

    /**
     * RW (noised when training asks) for a pass of {@code steps} steps: on the CPU with several
     * products to gain on, a row-major copy of its own, which {@link BlockProduct} multiplies without
     * ND4J's ops; else DL4J's array itself (one step, as in generation, where the copy would cost more).
     */
    INDArray recurrentWeights(boolean training, int steps) {
        INDArray rw = getParamWithNoise(RW, training, NO_WORKSPACES);
        return copiesRecurrentWeights(steps) ? Buffers.copy(rw, dataType) : rw;
    }

    /** Frees what {@link #recurrentWeights} copied for a pass of {@code steps} steps; DL4J's own arrays are left alone. */
    void freeRecurrentWeights(INDArray rw, int steps) {
        if (copiesRecurrentWeights(steps)) {
            free(rw);
        }
    }

    private static boolean copiesRecurrentWeights(int steps) {
        return steps > 1 && BlockProduct.ON_CPU;
    }

    INDArray matrix(long rows, long columns) {
        return Buffers.matrix(dataType, rows, columns);
    }

    /** The states h of steps 0..T as rows outside any workspace: h0 (zeros when null), then zeros to fill in. */
    INDArray states(int batch, int steps, INDArray h0) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray states = Nd4j.create(dataType, new long[]{(steps + 1L) * batch, units()}, 'c');
            if (h0 != null) {
                states.get(interval(0, batch), all()).assign(h0);
            }
            return states;
        }
    }

    /** Copies a stored state [batch, units] into the first rows of {@code values}; nothing when it is null. */
    static void startFrom(INDArray state, double[] values) {
        if (state != null) {
            System.arraycopy(Buffers.read(state.dup('c')), 0, values, 0, (int) state.length());
        }
    }

    /** The mask as [batch, steps] values, or null. */
    double[] maskValues() {
        return maskArray == null ? null : Buffers.read(maskArray.castTo(dataType).dup('c'));
    }

    /** Step t's mask into {@code m}, each example's value over its u units (all 1 without a mask). */
    static void stepMask(double[] mask, int t, int steps, int u, double[] m) {
        for (int r = 0; r < m.length / u; r++) {
            Arrays.fill(m, r * u, (r + 1) * u, mask == null ? 1 : mask[r * steps + t]);
        }
    }

    /**
     * Whether anything reads the gradients of the gates' sums (dA) after the backward pass's steps:
     * W's gradient for dense input, and the input's gradient for a layer below. With neither, a
     * layer need not keep them.
     */
    boolean readsGateGradients(int[] symbols) {
        return symbols == null || getIndex() != 0;
    }

    /** x·W + b, a step's rows at a time ({@link Projection#rows}). */
    Projection projection(INDArray rows, int[] symbols, boolean training) {
        INDArray w = getParamWithNoise(W, training, NO_WORKSPACES), b = getParamWithNoise(B, training, NO_WORKSPACES);
        int width = (int) b.length(), inputs = (int) w.size(0), count = (int) rows.size(0);
        if (symbols != null) { // a row per symbol, after padding's (b alone): each lookup is one copy
            double[] bias = Buffers.read(b), columns = Buffers.read(w), table = new double[(inputs + 1) * width]; // W column by column
            for (int row = 0; row <= inputs; row++) {
                for (int j = 0; j < width; j++) {
                    table[row * width + j] = bias[j] + (row == 0 ? 0 : columns[j * inputs + row - 1]);
                }
            }
            return new Projection(symbols, table, width, training ? matrix(count, width) : null);
        }
        INDArray product = matrix(count, width);
        Nd4j.gemm(rows, w, product, false, false, 1.0, 0.0);
        return new Projection(null, null, width, product.addiRowVector(b));
    }

    /**
     * x·W + b of every row, handed out some rows at a time: rows of the table for one-hot input,
     * else read from {@code kept}, where the product was made. {@code kept} (rows × gates, the
     * network's type; null for one-hot input outside training) is then free for the layer to keep
     * each step's gates in for the backward pass, off the Java heap.
     */
    record Projection(int[] symbols, double[] table, int width, INDArray kept) {
        /** x·W + b of rows {@code first} on, as many as the gates hold, into their blocks of u ({@link Buffers#readBlocks}). */
        void rows(int first, double[][] gates, int u) {
            if (symbols == null) {
                Buffers.readBlocks(kept, first * width, gates, u);
                return;
            }
            for (int r = 0; r < gates[0].length / u; r++) { // symbol -1, padding, takes the table's first row
                for (int b = 0, from = (symbols[first + r] + 1) * width; b < gates.length; b++, from += u) {
                    System.arraycopy(table, from, gates[b], r * u, u);
                }
            }
        }
    }

    /** A matrix of {@code rows} × {@code columns} stored row by row, stored column by column (or the other way round). */
    static double[] transposed(double[] values, int rows, int columns) {
        double[] result = new double[values.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < columns; j++) {
                result[j * rows + i] = values[i * columns + j];
            }
        }
        return result;
    }

    /**
     * The states h of steps 1..T (rows of {@code states}, after the initial state's) as DL4J's
     * [batch, units, steps] activations, laid out as rows [steps, batch, units]: the layout
     * {@link SoftmaxOutput} reads without a copy.
     */
    INDArray output(INDArray states, int batch, int steps, LayerWorkspaceMgr workspaces) {
        INDArray result = workspaces.createUninitialized(ArrayType.ACTIVATIONS, dataType, new long[]{steps, batch, units()}, 'c');
        result.reshape('c', (long) steps * batch, units()).assign(states.get(interval(batch, (steps + 1L) * batch), all()));
        return permuteIfNWC(result.permute(1, 2, 0));
    }

    /** The last step's rows of {@code states} as [batch, units], outside any workspace. */
    static INDArray lastState(INDArray states, int batch, int steps) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return states.get(interval((long) steps * batch, (steps + 1L) * batch), all()).dup('c');
        }
    }

    /** The gradient from the layer above as rows ({@link Buffers#rows}), read a step at a time ({@link Buffers#read}). */
    INDArray epsilonRows(INDArray epsilon) {
        return Buffers.rows(permuteIfNWC(epsilon), dataType);
    }

    /**
     * What a backward pass sums a step at a time: the gradients of b and, for one-hot input, of W (a
     * row per symbol), from the gates' gradients, one array per gate ({@link Buffers#readBlocks}).
     * b's are summed per example and added up at the end: a loop over one index that the JIT
     * vectorises. (ND4J's sum down the columns of dA took 6% of a step.)
     */
    static final class GradientSums {
        private final int u;
        private final int[] symbols;
        private final double[][] perGate;
        private final double[] rowMajorW;

        GradientSums(int gates, int batch, int u, int inputs, int[] symbols) {
            this.u = u;
            this.symbols = symbols;
            this.perGate = new double[gates][batch * u];
            this.rowMajorW = symbols == null ? null : new double[inputs * gates * u];
        }

        /** Adds the gates' gradients {@code d} of rows {@code first..first + count}. */
        void add(double[][] d, int first, int count) {
            for (int b = 0; b < d.length; b++) {
                double[] gate = d[b], sum = perGate[b];
                for (int i = 0; i < count * u; i++) {
                    sum[i] += gate[i];
                }
                for (int r = 0; symbols != null && r < count; r++) {
                    if (symbols[first + r] >= 0) {
                        for (int k = 0, to = (symbols[first + r] * d.length + b) * u; k < u; k++) {
                            rowMajorW[to + k] += gate[r * u + k];
                        }
                    }
                }
            }
        }

        double[] bias() {
            double[] bias = new double[perGate.length * u];
            for (int b = 0; b < perGate.length; b++) {
                for (int o = 0; o < perGate[b].length; o += u) {
                    for (int k = 0; k < u; k++) {
                        bias[b * u + k] += perGate[b][o + k];
                    }
                }
            }
            return bias;
        }
    }

    /**
     * With RW's gradient in place: the gradients of b and W and of the layer's input, from the
     * {@code sums} and the gradients of the gates' pre-activations in {@code da} (rows × gates).
     */
    Pair<Gradient, INDArray> gradients(GradientSums sums, INDArray da, INDArray rows, int batch, LayerWorkspaceMgr workspaces) {
        INDArray w = getParamWithNoise(W, true, workspaces), dw = gradientViews.get(W), db = gradientViews.get(B);
        int count = (int) rows.size(0), inputs = (int) rows.size(1), width = (int) db.length(), steps = count / batch;
        Buffers.write(sums.bias(), 0, db);
        if (sums.rowMajorW != null) {
            Buffers.write(transposed(sums.rowMajorW, inputs, width), 0, dw);
        } else {
            Nd4j.gemm(rows, da, dw, true, false, 1.0, 0.0);
        }
        Gradient gradient = new DefaultGradient(gradientsFlattened);
        gradient.gradientForVariable().put(W, dw);
        gradient.gradientForVariable().put(RW, gradientViews.get(RW));
        gradient.gradientForVariable().put(B, db);
        weightNoiseParams.clear();
        if (getIndex() == 0) {
            return new Pair<>(gradient, null); // nothing below the first layer needs a gradient, as for DL4J's embeddings
        }
        // dA·Wᵀ as rows [steps, batch, inputs], handed down as DL4J's [batch, inputs, steps] without a copy
        INDArray epsOut = workspaces.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, new long[]{count, inputs}, 'c');
        Nd4j.gemm(da, w, epsOut, false, true, 1.0, 0.0);
        return new Pair<>(gradient, permuteIfNWC(backpropDropOutIfPresent(epsOut.reshape('c', steps, batch, inputs).permute(1, 2, 0))));
    }

    @Override
    public Type type() {
        return Type.RECURRENT;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    /** Like DL4J's LSTM: keeps the mask for its own steps and passes it on unchanged. */
    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray mask, MaskState state, int minibatchSize) {
        this.maskArray = mask;
        return new Pair<>(mask, MaskState.Passthrough);
    }
}
