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
 * The working {@link GRU} layer, on rows of (step, example) pairs as {@link GatedLayer} describes;
 * the gates of a row are the blocks z, r, n.
 */
final class GruLayer extends GatedLayer<GRU> {
    private static final String H = "h";

    /**
     * What the backward pass needs of a forward pass, and the output and last state, off the Java
     * heap in the network's type: the gates (in the projection's matrix), the product h·Un of every
     * row, and the states h of steps 0..T, which the products, the output and the last state read too.
     */
    private record Pass(INDArray input, INDArray rows, int[] symbols, INDArray gates, INDArray hun, INDArray states,
                        double[] mask, int batch, int steps) {
        /** Frees the pass's own arrays; views of the input are left alone. */
        void free() {
            GatedLayer.free(rows, gates, hun, states);
        }
    }

    private Pass kept;

    GruLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    INDArray activateFrom(Map<String, INDArray> state, boolean storeLast, boolean training, LayerWorkspaceMgr workspaces) {
        Pass pass = forward(state.get(H), training);
        if (storeLast) {
            state.put(H, lastState(pass.states(), pass.batch(), pass.steps()));
        }
        INDArray output = output(pass.states(), pass.batch(), pass.steps(), workspaces);
        if (!training) {
            pass.free();
        }
        return output;
    }

    /** Steps through the sequence from state h0 (zeros when null). */
    private Pass forward(INDArray h0, boolean training) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, NO_WORKSPACES);
        INDArray x = permuteIfNWC(input).castTo(dataType);
        int batch = (int) x.size(0), steps = (int) x.size(2), u = units(), width = batch * u, block = 3 * width;
        requireStateFor(h0, batch);
        SequenceBatch.requireBuffer(batch, 3L * u, steps, dataType); // the gates kept for the backward pass
        INDArray rows = Buffers.rows(x, dataType), states = states(batch, steps, h0), product = matrix(batch, 3L * u);
        int[] symbols = Buffers.oneHotSymbols(rows);
        Projection projection = projection(rows, symbols, training);
        INDArray hunRows = training ? matrix((long) steps * batch, u) : null;
        double[] gates = new double[block], p = new double[block], hun = new double[width]; // p: h·RW of one step
        double[] previous = new double[width], h = new double[width];
        startFrom(h0, previous);
        double[] mask = maskValues();
        INDArray rw = recurrentWeights(training, steps);
        BlockProduct hRw = new BlockProduct(states, rw, false, product); // each step's h·RW
        Gates f = new Gates(dataType);
        for (int t = 0; t < steps; t++) {
            projection.rows(t * batch, batch, gates, 0);
            if (t > 0 || h0 != null) { // h·Uz and h·Ur join the gates' sums; h·Un waits for r
                hRw.rows((long) t * batch, batch, 0);
                Buffers.read(product, p, 0);
                for (int r = 0, g = 0; r < batch; r++, g += 3 * u) {
                    for (int k = 0; k < 2 * u; k++) {
                        gates[g + k] += p[g + k];
                    }
                    System.arraycopy(p, g + 2 * u, hun, r * u, u);
                }
            }
            for (int r = 0; r < batch; r++) { // h = n + z ⊙ (h_previous − n), 0 where masked
                int g = r * 3 * u, o = r * u;
                f.sigmoid(gates, g, g + 2 * u);
                for (int k = 0; k < u; k++) {
                    gates[g + 2 * u + k] += gates[g + u + k] * hun[o + k];
                }
                f.tanh(gates, g + 2 * u, g + 3 * u);
                double m = mask == null ? 1 : mask[r * steps + t];
                for (int k = 0; k < u; k++) {
                    double z = gates[g + k], n = gates[g + 2 * u + k];
                    h[o + k] = (n + z * (previous[o + k] - n)) * m;
                }
            }
            if (training) {
                Buffers.write(gates, 0, projection.kept(), t * block, block);
                Buffers.write(hun, 0, hunRows, t * width, width);
            }
            Buffers.write(h, 0, states, (t + 1) * width, width);
            double[] swap = previous;
            previous = h;
            h = swap;
        }
        free(product);
        freeRecurrentWeights(rw, steps);
        Pass pass = new Pass(input, rows, symbols, projection.kept(), hunRows, states, mask, batch, steps);
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
        Pass pass = kept != null && kept.input() == input ? kept : forward(null, true);
        kept = null; // its arrays are freed below
        int u = units(), batch = pass.batch(), steps = pass.steps(), rows = batch * steps, width = batch * u, block = 3 * width;
        INDArray epsilonRows = epsilonRows(epsilon), da = pass.gates(); // each step's gates give way to their gradients
        double[] mask = pass.mask(), e = new double[width], hun = new double[width], previous = new double[width];
        // d: the gradients of the gates' sums, in place of the gates (each row is read before it is
        // written); dhu: those of h·U (the n block through r)
        double[] d = new double[block], dhu = new double[block], recurrent = new double[width];
        double[] bias = new double[3 * u], rowMajorW = pass.symbols() == null ? null : new double[(int) pass.rows().size(1) * 3 * u];
        INDArray rw = recurrentWeights(true, steps), dhuRows = matrix(rows, 3L * u), dhRecurrent = matrix(batch, u);
        BlockProduct dRw = new BlockProduct(dhuRows, rw, true, dhRecurrent); // each step's dHU·RWᵀ
        for (int t = steps - 1; t >= 0; t--) {
            Buffers.read(epsilonRows, t * width, width, e, 0);
            Buffers.read(da, t * block, block, d, 0);
            Buffers.read(pass.hun(), t * width, width, hun, 0);
            Buffers.read(pass.states(), t * width, width, previous, 0);
            for (int r = 0; r < batch; r++) {
                double m = mask == null ? 1 : mask[r * steps + t];
                int g = r * 3 * u, o = r * u;
                for (int k = 0; k < u; k++) {
                    double dh = (e[o + k] + recurrent[o + k]) * m;
                    double z = d[g + k], reset = d[g + u + k], n = d[g + 2 * u + k];
                    double dn = dh * (1 - z) * (1 - n * n);
                    d[g + k] = dh * (previous[o + k] - n) * z * (1 - z);
                    d[g + u + k] = dn * hun[o + k] * reset * (1 - reset);
                    d[g + 2 * u + k] = dn;
                    dhu[g + k] = d[g + k];
                    dhu[g + u + k] = d[g + u + k];
                    dhu[g + 2 * u + k] = dn * reset;
                    recurrent[o + k] = dh * z; // the path around the gates, to which dhu·RWᵀ is added
                }
            }
            Buffers.write(dhu, 0, dhuRows, t * block, block);
            Buffers.write(d, 0, da, t * block, block);
            addGradients(d, t * batch, batch, pass.symbols(), bias, rowMajorW);
            if (t > 0) {
                dRw.rows((long) t * batch, batch, 0);
                Buffers.add(dhRecurrent, recurrent, 0);
            }
        }
        Nd4j.gemm(pass.states().get(interval(0, rows), all()), dhuRows, gradientViews.get(RW), true, false, 1.0, 0.0);
        try {
            return gradients(bias, rowMajorW, da, pass.rows(), pass.symbols(), batch, workspaces);
        } finally {
            free(dhuRows, dhRecurrent, epsilonRows);
            pass.free(); // da among them
            freeRecurrentWeights(rw, steps);
        }
    }
}
