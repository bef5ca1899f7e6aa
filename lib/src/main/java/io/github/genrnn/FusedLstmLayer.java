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
     * What the backward pass needs of a forward pass, and the output and last state: the gates and
     * cells c of every step as Java values, the states h as the ND4J matrix the products read
     * (tanh(c) is computed again a step at a time: keeping it, and h as Java values, took two more
     * arrays as large as the cells').
     */
    private record Pass(INDArray input, INDArray rows, int[] symbols, double[] gates, double[] cells, INDArray states,
                        double[] mask, int batch, int steps) {
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
            free(pass.rows(), pass.states());
        }
        return output;
    }

    /** Steps through the sequence from the state (h0, c0), zeros when null. */
    private Pass forward(INDArray h0, INDArray c0, boolean training) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, NO_WORKSPACES);
        INDArray x = permuteIfNWC(input).castTo(dataType);
        int batch = (int) x.size(0), steps = (int) x.size(2), u = units(), block = batch * 4 * u;
        requireStateFor(h0, batch);
        INDArray rows = Buffers.rows(x, dataType), states = states(batch, steps, h0), product = matrix(batch, 4L * u);
        int[] symbols = Buffers.oneHotSymbols(rows);
        double[] gates = inputProjection(rows, symbols, training);
        int width = batch * u;
        double[] cells = new double[SequenceBatch.values(batch, u, steps + 1)], tanhCells = new double[width], h = new double[width];
        startFrom(c0, cells);
        double[] mask = maskValues();
        INDArray rw = recurrentWeights(training, steps);
        BlockProduct hRw = new BlockProduct(states, rw, false, product); // each step's h·RW
        Gates f = new Gates(dataType);
        for (int t = 0; t < steps; t++) {
            if (t > 0 || h0 != null) {
                hRw.rows((long) t * batch, batch, 0);
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
            tanhOfCells(f, cells, t, width, tanhCells);
            for (int r = 0; r < batch; r++) { // h = out ⊙ tanh(c), 0 where masked
                double m = mask == null ? 1 : mask[r * steps + t];
                for (int k = 0, g = t * block + r * 4 * u + 2 * u; k < u; k++) {
                    h[r * u + k] = gates[g + k] * tanhCells[r * u + k] * m;
                }
            }
            Buffers.write(h, 0, states, next, width);
        }
        free(product);
        freeRecurrentWeights(rw, steps);
        Pass pass = new Pass(input, rows, symbols, gates, cells, states, mask, batch, steps);
        kept = training ? pass : null;
        return pass;
    }

    /**
     * tanh of step t's cells (block t + 1 of {@code cells}) into {@code tanhCells}. The cells are
     * masked already: where the mask is 0 (masks are 0 or 1), h and its derivatives are 0 too.
     */
    private static void tanhOfCells(Gates f, double[] cells, int t, int width, double[] tanhCells) {
        System.arraycopy(cells, (t + 1) * width, tanhCells, 0, width);
        f.tanh(tanhCells, 0, width);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaces) {
        assertInputSet(true);
        requireForwardPass(kept != null && kept.input() == input);
        Pass pass = kept != null && kept.input() == input ? kept : forward(null, null, true);
        kept = null;
        int u = units(), batch = pass.batch(), steps = pass.steps(), rows = batch * steps, block = batch * 4 * u;
        INDArray epsilonRows = epsilonRows(epsilon);
        double[] gates = pass.gates(), cells = pass.cells(), mask = pass.mask();
        // the gates' gradients replace their values in place: each row of four is read before it is written
        double[] d = gates, recurrent = new double[batch * u], cellNext = new double[batch * u];
        double[] e = new double[batch * u], tanhCells = new double[batch * u];
        Gates f = new Gates(dataType);
        INDArray rw = recurrentWeights(true, steps), da = matrix(rows, 4L * u), dhRecurrent = matrix(batch, u);
        BlockProduct dRw = new BlockProduct(da, rw, true, dhRecurrent); // each step's dA·RWᵀ
        for (int t = steps - 1; t >= 0; t--) {
            Buffers.read(epsilonRows, t * batch * u, batch * u, e, 0);
            tanhOfCells(f, cells, t, batch * u, tanhCells);
            for (int r = 0; r < batch; r++) {
                double m = mask == null ? 1 : mask[r * steps + t];
                int g = (t * batch + r) * 4 * u, previous = (t * batch + r) * u;
                for (int k = 0; k < u; k++) {
                    double dh = (e[r * u + k] + (t < steps - 1 ? recurrent[r * u + k] : 0)) * m;
                    double candidate = gates[g + k], forget = gates[g + u + k], out = gates[g + 2 * u + k], in = gates[g + 3 * u + k];
                    double tc = tanhCells[r * u + k], dc = cellNext[r * u + k] * m + dh * out * (1 - tc * tc);
                    d[g + k] = dc * in * (1 - candidate * candidate);
                    d[g + u + k] = dc * cells[previous + k] * forget * (1 - forget);
                    d[g + 2 * u + k] = dh * tc * out * (1 - out);
                    d[g + 3 * u + k] = dc * candidate * in * (1 - in);
                    cellNext[r * u + k] = dc * forget;
                }
            }
            Buffers.write(d, t * block, da, t * block, block);
            if (t > 0) {
                dRw.rows((long) t * batch, batch, 0);
                Buffers.read(dhRecurrent, recurrent, 0);
            }
        }
        Nd4j.gemm(pass.states().get(interval(0, rows), all()), da, gradientViews.get(RW), true, false, 1.0, 0.0);
        try {
            return gradients(d, da, pass.rows(), pass.symbols(), batch, workspaces);
        } finally {
            free(da, dhRecurrent, epsilonRows, pass.rows(), pass.states());
            freeRecurrentWeights(rw, steps);
        }
    }
}
