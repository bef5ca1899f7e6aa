package io.github.genrnn;

import static io.github.genrnn.GatedParamInitializer.RW;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The working {@link FusedLSTM} layer, on rows of (step, example) pairs as {@link GatedLayer}
 * describes; the gates of a row are the blocks candidate, forget, output, input, as in DL4J.
 */
final class FusedLstmLayer extends GatedLayer<FusedLSTM> {
    private static final String H = "h", C = "c";

    /**
     * What the backward pass needs of a forward pass, and the output and last state, off the Java
     * heap in the network's type: the gates (in the projection's matrix) and cells c of every step,
     * and the states h the products read (tanh(c) is computed again a step at a time).
     */
    private record Pass(INDArray input, INDArray rows, int[] symbols, INDArray gates, INDArray cells, INDArray states,
                        double[] mask, int batch, int steps) {
        /** Frees the pass's own arrays; views of the input are left alone. */
        void free() {
            GatedLayer.free(rows, gates, cells, states);
        }
    }

    private Pass kept;

    FusedLstmLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    INDArray activateFrom(Map<String, INDArray> state, boolean storeLast, boolean training, LayerWorkspaceMgr workspaces) {
        Pass pass = forward(state.get(H), state.get(C), training);
        if (storeLast) {
            state.put(H, lastState(pass.states(), pass.batch(), pass.steps()));
            state.put(C, lastState(pass.cells(), pass.batch(), pass.steps()));
        }
        INDArray output = output(pass.states(), pass.batch(), pass.steps(), workspaces);
        if (!training) {
            pass.free();
        }
        return output;
    }

    /** Steps through the sequence from the state (h0, c0), zeros when null. */
    private Pass forward(INDArray h0, INDArray c0, boolean training) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, NO_WORKSPACES);
        INDArray x = permuteIfNWC(input).castTo(dataType);
        int batch = (int) x.size(0), steps = (int) x.size(2), u = units(), block = batch * 4 * u, width = batch * u;
        requireStateFor(h0, batch);
        SequenceBatch.requireBuffer(batch, 4L * u, steps, dataType); // the gates kept for the backward pass
        INDArray rows = Buffers.rows(x, dataType), states = states(batch, steps, h0), product = matrix(batch, 4L * u);
        int[] symbols = Buffers.oneHotSymbols(rows);
        Projection projection = projection(rows, symbols, training);
        INDArray cells = matrix((steps + 1L) * batch, u);
        double[] gates = new double[block], c = new double[width], tanhCells = new double[width], h = new double[width];
        startFrom(c0, c);
        Buffers.write(c, 0, cells, 0, width);
        double[] mask = maskValues();
        INDArray rw = recurrentWeights(training, steps);
        BlockProduct hRw = new BlockProduct(states, rw, false, product); // each step's h·RW
        Gates f = new Gates(dataType);
        for (int t = 0; t < steps; t++) {
            projection.rows(t * batch, batch, gates, 0);
            if (t > 0 || h0 != null) {
                hRw.rows((long) t * batch, batch, 0);
                Buffers.add(product, gates, 0);
            }
            for (int g = 0; g < block; g += 4 * u) {
                f.tanh(gates, g, g + u);
                f.sigmoid(gates, g + u, g + 4 * u);
            }
            for (int r = 0; r < batch; r++) { // c = forget ⊙ c_previous + in ⊙ candidate, 0 where masked
                double m = mask == null ? 1 : mask[r * steps + t];
                for (int k = 0, g = r * 4 * u, o = r * u; k < u; k++) {
                    c[o + k] = (gates[g + u + k] * c[o + k] + gates[g + 3 * u + k] * gates[g + k]) * m;
                }
            }
            System.arraycopy(c, 0, tanhCells, 0, width);
            f.tanh(tanhCells, 0, width);
            for (int r = 0; r < batch; r++) { // h = out ⊙ tanh(c), 0 where masked
                double m = mask == null ? 1 : mask[r * steps + t];
                for (int k = 0, g = r * 4 * u + 2 * u; k < u; k++) {
                    h[r * u + k] = gates[g + k] * tanhCells[r * u + k] * m;
                }
            }
            if (training) { // outside training only the last cells are read, for the state kept
                Buffers.write(gates, 0, projection.kept(), t * block, block);
            }
            if (training || t == steps - 1) {
                Buffers.write(c, 0, cells, (t + 1) * width, width);
            }
            Buffers.write(h, 0, states, (t + 1) * width, width);
        }
        free(product);
        freeRecurrentWeights(rw, steps);
        Pass pass = new Pass(input, rows, symbols, projection.kept(), cells, states, mask, batch, steps);
        keep(training ? pass : null);
        return pass;
    }

    /** Keeps a training pass for the backward one, freeing the arrays of any pass it replaces. */
    private void keep(Pass pass) {
        if (kept != null && kept != pass) {
            kept.free();
        }
        kept = pass;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaces) {
        assertInputSet(true);
        requireForwardPass(kept != null && kept.input() == input);
        Pass pass = kept != null && kept.input() == input ? kept : forward(null, null, true);
        kept = null; // its arrays are freed below
        int u = units(), batch = pass.batch(), steps = pass.steps(), rows = batch * steps, block = batch * 4 * u, width = batch * u;
        INDArray epsilonRows = epsilonRows(epsilon), da = pass.gates(); // each step's gates give way to their gradients
        double[] mask = pass.mask(), d = new double[block], recurrent = new double[width], cellNext = new double[width];
        double[] e = new double[width], previous = new double[width], now = new double[width], tanhCells = new double[width];
        double[] bias = new double[4 * u], rowMajorW = pass.symbols() == null ? null : new double[(int) pass.rows().size(1) * 4 * u];
        Gates f = new Gates(dataType);
        INDArray rw = recurrentWeights(true, steps), dhRecurrent = matrix(batch, u);
        BlockProduct dRw = new BlockProduct(da, rw, true, dhRecurrent); // each step's dA·RWᵀ
        Buffers.read(pass.cells(), steps * width, width, now, 0);
        for (int t = steps - 1; t >= 0; t--) {
            Buffers.read(epsilonRows, t * width, width, e, 0);
            Buffers.read(da, t * block, block, d, 0);
            Buffers.read(pass.cells(), t * width, width, previous, 0);
            System.arraycopy(now, 0, tanhCells, 0, width); // masked already: where the mask is 0, so is every gradient
            f.tanh(tanhCells, 0, width);
            for (int r = 0; r < batch; r++) {
                double m = mask == null ? 1 : mask[r * steps + t];
                int g = r * 4 * u;
                for (int k = 0; k < u; k++) {
                    double dh = (e[r * u + k] + (t < steps - 1 ? recurrent[r * u + k] : 0)) * m;
                    double candidate = d[g + k], forget = d[g + u + k], out = d[g + 2 * u + k], in = d[g + 3 * u + k];
                    double tc = tanhCells[r * u + k], dc = cellNext[r * u + k] * m + dh * out * (1 - tc * tc);
                    d[g + k] = dc * in * (1 - candidate * candidate);
                    d[g + u + k] = dc * previous[r * u + k] * forget * (1 - forget);
                    d[g + 2 * u + k] = dh * tc * out * (1 - out);
                    d[g + 3 * u + k] = dc * candidate * in * (1 - in);
                    cellNext[r * u + k] = dc * forget;
                }
            }
            Buffers.write(d, 0, da, t * block, block);
            addGradients(d, t * batch, batch, pass.symbols(), bias, rowMajorW);
            if (t > 0) {
                dRw.rows((long) t * batch, batch, 0);
                Buffers.read(dhRecurrent, recurrent, 0);
            }
            double[] swap = now;
            now = previous;
            previous = swap;
        }
        Nd4j.gemm(pass.states().get(interval(0, rows), all()), da, gradientViews.get(RW), true, false, 1.0, 0.0);
        try {
            return gradients(bias, rowMajorW, da, pass.rows(), pass.symbols(), batch, workspaces);
        } finally {
            free(dhRecurrent, epsilonRows);
            pass.free(); // da among them
            freeRecurrentWeights(rw, steps);
        }
    }
}
