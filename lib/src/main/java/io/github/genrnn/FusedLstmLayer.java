package io.github.genrnn;

import static io.github.genrnn.GatedParamInitializer.B;
import static io.github.genrnn.GatedParamInitializer.RW;
import static io.github.genrnn.GatedParamInitializer.W;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.Arrays;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The working {@link FusedLSTM} layer. Rows are (step, example) pairs: row t·batch + b holds
 * example b at step t. The gates of all rows live in one Java array (blocks candidate, forget,
 * output, input, as in DL4J); ND4J does the products: h·RW per step forward, dA·RWᵀ per step
 * backward, and Hᵀ·dA, Xᵀ·dA, dA·Wᵀ once per sequence. Each step's σ and tanh run over whole
 * ranges of an array ({@link Gates}), in loops the JIT turns into vector instructions.
 */
final class FusedLstmLayer extends GatedLayer<FusedLSTM> {
    private static final String H = "h", C = "c";

    /**
     * What the backward pass needs of a forward pass, and the output and last state: the states h
     * both as Java values and as the ND4J matrix the products read.
     */
    private record Pass(INDArray input, INDArray rows, int[] symbols, double[] gates, double[] cells, double[] tanhCells,
                        double[] h, INDArray states, double[] mask, int batch, int steps) {
    }

    private Pass kept;
    private Map<String, INDArray> carried;

    FusedLstmLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaces) {
        return carried != null ? activateFrom(carried, true, training, workspaces) : output(forward(null, null, training), workspaces);
    }

    @Override
    void carry(Map<String, INDArray> state) {
        this.carried = state;
    }

    @Override
    INDArray activateFrom(Map<String, INDArray> state, boolean storeLast, boolean training, LayerWorkspaceMgr workspaces) {
        Pass pass = forward(state.get(H), state.get(C), training);
        if (storeLast) {
            state.put(H, lastState(pass.h(), pass));
            state.put(C, lastState(pass.cells(), pass));
        }
        return output(pass, workspaces);
    }

    private int units() {
        return (int) layerConf().getNOut();
    }

    /** Steps through the sequence from the state (h0, c0), zeros when null. */
    private Pass forward(INDArray h0, INDArray c0, boolean training) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, LayerWorkspaceMgr.noWorkspaces());
        INDArray x = permuteIfNWC(input).castTo(dataType);
        int batch = (int) x.size(0), inputs = (int) x.size(1), steps = (int) x.size(2), u = units(), block = batch * 4 * u;
        if (h0 != null && h0.size(0) != batch) {
            throw new IllegalStateException("The LSTM's stored state is for " + h0.size(0) + " sequences, the input has "
                    + batch + ": call rnnClearPreviousState() before a batch of another size"
                    + (carried != null ? " (the state carried by StreamTraining is cleared when its run ends)." : "."));
        }
        INDArray rows, states, product;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            rows = x.permute(2, 0, 1).dup('c').reshape('c', (long) steps * batch, inputs);
            states = Nd4j.create(dataType, new long[]{(steps + 1L) * batch, u}, 'c');
            product = Nd4j.createUninitialized(dataType, new long[]{batch, 4L * u}, 'c');
            if (h0 != null) {
                states.get(interval(0, batch), all()).assign(h0);
            }
        }
        int[] symbols = Buffers.oneHotSymbols(rows);
        double[] gates = inputProjection(rows, symbols, steps * batch, training);
        double[] cells = new double[SequenceBatch.values(batch, u, steps + 1)], tanhCells = new double[cells.length], h = new double[cells.length];
        if (c0 != null) {
            System.arraycopy(Buffers.read(c0.dup('c')), 0, cells, 0, batch * u);
        }
        if (h0 != null) {
            System.arraycopy(Buffers.read(h0.dup('c')), 0, h, 0, batch * u);
        }
        double[] mask = maskArray == null ? null : Buffers.read(maskArray.castTo(dataType).dup('c'));
        INDArray rw = getParamWithNoise(RW, training, LayerWorkspaceMgr.noWorkspaces());
        Gates f = new Gates(dataType);
        int width = batch * u;
        for (int t = 0; t < steps; t++) {
            if (t > 0 || h0 != null) {
                Nd4j.gemm(states.get(interval(t * batch, (t + 1) * batch), all()), rw, product, false, false, 1.0, 0.0);
                Buffers.add(product, gates, t * block);
            }
            for (int g = t * block; g < (t + 1) * block; g += 4 * u) {
                f.tanh(gates, g, g + u);
                f.sigmoid(gates, g + u, g + 4 * u);
            }
            int next = (t + 1) * width;
            for (int r = 0; r < batch; r++) { // c = forget ⊙ c_previous + in ⊙ candidate, 0 where masked
                double m = mask == null ? 1 : mask[r * steps + t];
                for (int k = 0, g = t * block + r * 4 * u, c = next + r * u; k < u; k++) {
                    cells[c + k] = (gates[g + u + k] * cells[c - width + k] + gates[g + 3 * u + k] * gates[g + k]) * m;
                }
            }
            // tanh of the masked cell: where the mask is 0 (masks are 0 or 1), h and its derivatives are 0 too
            System.arraycopy(cells, next, tanhCells, next, width);
            f.tanh(tanhCells, next, next + width);
            for (int r = 0; r < batch; r++) { // h = out ⊙ tanh(c), 0 where masked
                double m = mask == null ? 1 : mask[r * steps + t];
                for (int k = 0, g = t * block + r * 4 * u + 2 * u, c = next + r * u; k < u; k++) {
                    h[c + k] = gates[g + k] * tanhCells[c + k] * m;
                }
            }
            Buffers.write(h, next, states.get(interval((t + 1) * batch, (t + 2) * batch), all()));
        }
        Pass pass = new Pass(input, rows, symbols, gates, cells, tanhCells, h, states, mask, batch, steps);
        kept = training ? pass : null;
        return pass;
    }

    /** x·W + b for every row: rows of W looked up for one-hot input, one product otherwise. */
    private double[] inputProjection(INDArray rows, int[] symbols, int count, boolean training) {
        INDArray w = getParamWithNoise(W, training, LayerWorkspaceMgr.noWorkspaces());
        double[] bias = Buffers.read(getParamWithNoise(B, training, LayerWorkspaceMgr.noWorkspaces()));
        int width = bias.length, inputs = (int) w.size(0);
        double[] gates = new double[count * width];
        if (symbols != null) {
            double[] columnMajor = Buffers.read(w);
            for (int r = 0; r < count; r++) {
                for (int j = 0; j < width; j++) {
                    gates[r * width + j] = (symbols[r] >= 0 ? columnMajor[symbols[r] + j * inputs] : 0) + bias[j];
                }
            }
            return gates;
        }
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray product = Nd4j.createUninitialized(dataType, new long[]{count, width}, 'c');
            Nd4j.gemm(rows, w, product, false, false, 1.0, 0.0);
            double[] values = Buffers.read(product);
            for (int r = 0; r < count; r++) {
                for (int j = 0; j < width; j++) {
                    gates[r * width + j] = values[r * width + j] + bias[j];
                }
            }
        }
        return gates;
    }

    /**
     * The states h (steps 1..T) as DL4J's [batch, units, steps] activations, laid out as
     * [batch, steps, units] in column-major order: the layout DL4J's output layer reshapes them to,
     * which it then does without a copy.
     */
    private INDArray output(Pass pass, LayerWorkspaceMgr workspaces) {
        int u = units(), batch = pass.batch(), steps = pass.steps();
        double[] h = pass.h();
        double[] out = new double[SequenceBatch.values(batch, u, steps)];
        for (int t = 0; t < steps; t++) {
            for (int r = 0; r < batch; r++) {
                for (int k = 0; k < u; k++) {
                    out[r + t * batch + k * batch * steps] = h[((t + 1) * batch + r) * u + k];
                }
            }
        }
        INDArray result = workspaces.createUninitialized(ArrayType.ACTIVATIONS, dataType, new long[]{batch, steps, u}, 'f');
        Buffers.write(out, 0, result);
        return permuteIfNWC(result.permute(0, 2, 1));
    }

    /** The state of the last step, as [batch, units], outside any workspace. */
    private INDArray lastState(double[] all, Pass pass) {
        int u = units(), batch = pass.batch();
        double[] last = Arrays.copyOfRange(all, pass.steps() * batch * u, (pass.steps() + 1) * batch * u);
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return Nd4j.createFromArray(last).castTo(dataType).reshape('c', batch, u);
        }
    }

    /** The array itself when it is already row-major and contiguous in the layer's type, else such a copy. */
    private INDArray rowMajor(INDArray array) {
        boolean ready = array.dataType() == dataType && array.ordering() == 'c' && Shape.hasDefaultStridesForShape(array);
        return ready ? array : array.castTo(dataType).dup('c');
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaces) {
        assertInputSet(true);
        if (carried != null && (kept == null || kept.input() != input)) {
            throw new IllegalStateException("The backward pass of a carried state needs its own forward pass; none was kept.");
        }
        Pass pass = kept != null && kept.input() == input ? kept : forward(null, null, true);
        kept = null;
        int u = units(), batch = pass.batch(), steps = pass.steps(), rows = batch * steps, block = batch * 4 * u;
        double[] e = Buffers.read(rowMajor(permuteIfNWC(epsilon).permute(2, 0, 1))); // [steps, batch, units]
        double[] gates = pass.gates(), cells = pass.cells(), tanhCells = pass.tanhCells(), mask = pass.mask();
        double[] d = new double[SequenceBatch.values(batch, 4L * u, steps)], recurrent = new double[batch * u], cellNext = new double[batch * u];
        INDArray rw = getParamWithNoise(RW, true, workspaces), w = getParamWithNoise(W, true, workspaces);
        INDArray da, dhRecurrent;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            da = Nd4j.createUninitialized(dataType, new long[]{rows, 4L * u}, 'c');
            dhRecurrent = Nd4j.createUninitialized(dataType, new long[]{batch, u}, 'c');
        }
        for (int t = steps - 1; t >= 0; t--) {
            for (int r = 0; r < batch; r++) {
                double m = mask == null ? 1 : mask[r * steps + t];
                int g = (t * batch + r) * 4 * u, previous = (t * batch + r) * u, now = previous + batch * u;
                for (int k = 0; k < u; k++) {
                    double dh = (e[previous + k] + (t < steps - 1 ? recurrent[r * u + k] : 0)) * m;
                    double candidate = gates[g + k], forget = gates[g + u + k], out = gates[g + 2 * u + k], in = gates[g + 3 * u + k];
                    double tc = tanhCells[now + k], dc = cellNext[r * u + k] * m + dh * out * (1 - tc * tc);
                    d[g + k] = dc * in * (1 - candidate * candidate);
                    d[g + u + k] = dc * cells[previous + k] * forget * (1 - forget);
                    d[g + 2 * u + k] = dh * tc * out * (1 - out);
                    d[g + 3 * u + k] = dc * candidate * in * (1 - in);
                    cellNext[r * u + k] = dc * forget;
                }
            }
            INDArray daStep = da.get(interval(t * batch, (t + 1) * batch), all());
            Buffers.write(d, t * block, daStep);
            if (t > 0) {
                Nd4j.gemm(daStep, rw, dhRecurrent, false, true, 1.0, 0.0);
                recurrent = Buffers.read(dhRecurrent);
            }
        }
        INDArray dw = gradientViews.get(W), drw = gradientViews.get(RW), db = gradientViews.get(B);
        Nd4j.gemm(pass.states().get(interval(0, rows), all()), da, drw, true, false, 1.0, 0.0);
        double[] biasGradient = new double[4 * u]; // summed here: ND4J's sum down the columns of dA took 6% of a step
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < 4 * u; j++) {
                biasGradient[j] += d[r * 4 * u + j];
            }
        }
        Buffers.write(biasGradient, 0, db);
        int inputs = (int) pass.rows().size(1);
        if (pass.symbols() != null) { // the rows of dA added into the rows of dW their symbols select
            double[] columnMajor = new double[inputs * 4 * u];
            for (int r = 0; r < rows; r++) {
                for (int j = 0; pass.symbols()[r] >= 0 && j < 4 * u; j++) {
                    columnMajor[pass.symbols()[r] + j * inputs] += d[r * 4 * u + j];
                }
            }
            Buffers.write(columnMajor, 0, dw);
        } else {
            Nd4j.gemm(pass.rows(), da, dw, true, false, 1.0, 0.0);
        }
        Gradient gradient = new DefaultGradient(gradientsFlattened);
        gradient.gradientForVariable().put(W, dw);
        gradient.gradientForVariable().put(RW, drw);
        gradient.gradientForVariable().put(B, db);
        weightNoiseParams.clear();
        if (getIndex() == 0) {
            return new Pair<>(gradient, null); // nothing below the first layer needs a gradient, as for DL4J's embeddings
        }
        INDArray epsOut = workspaces.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, new long[]{batch, inputs, steps}, 'f');
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray flat = Nd4j.createUninitialized(dataType, new long[]{rows, inputs}, 'c');
            Nd4j.gemm(da, w, flat, false, true, 1.0, 0.0);
            epsOut.assign(flat.reshape('c', steps, batch, inputs).permute(1, 2, 0));
        }
        return new Pair<>(gradient, permuteIfNWC(backpropDropOutIfPresent(epsOut)));
    }
}
