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
     * What the backward pass needs of a forward pass, and the output and last state: the gates and
     * the product h·Un of every row, and the states h (steps 0..T) both as Java values and as the
     * ND4J matrix the products, the output and the last state read.
     */
    private record Pass(INDArray input, INDArray rows, int[] symbols, double[] gates, double[] hun, double[] h,
                        INDArray states, double[] mask, int batch, int steps) {
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
            free(pass.rows(), pass.states());
        }
        return output;
    }

    /** Steps through the sequence from state h0 (zeros when null). */
    private Pass forward(INDArray h0, boolean training) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, NO_WORKSPACES);
        INDArray x = permuteIfNWC(input).castTo(dataType);
        int batch = (int) x.size(0), steps = (int) x.size(2), u = units(), width = batch * u;
        requireStateFor(h0, batch);
        INDArray rows = Buffers.rows(x, dataType), states = states(batch, steps, h0), product = matrix(batch, 3L * u);
        int[] symbols = Buffers.oneHotSymbols(rows);
        double[] gates = inputProjection(rows, symbols, training);
        double[] h = new double[SequenceBatch.values(batch, u, steps + 1)], hun = new double[SequenceBatch.values(batch, u, steps)];
        startFrom(h0, h);
        double[] mask = maskValues();
        INDArray rw = recurrentWeights(training, steps);
        BlockProduct hRw = new BlockProduct(states, rw, false, product); // each step's h·RW
        Gates f = new Gates(dataType);
        double[] p = new double[batch * 3 * u]; // h·RW of one step
        for (int t = 0; t < steps; t++) {
            if (t > 0 || h0 != null) { // h·Uz and h·Ur join the gates' sums; h·Un waits for r
                hRw.rows((long) t * batch, batch, 0);
                Buffers.read(product, p, 0);
                for (int r = 0, g = t * width * 3; r < batch; r++, g += 3 * u) {
                    for (int k = 0; k < 2 * u; k++) {
                        gates[g + k] += p[r * 3 * u + k];
                    }
                    System.arraycopy(p, r * 3 * u + 2 * u, hun, t * width + r * u, u);
                }
            }
            for (int r = 0; r < batch; r++) { // h = n + z ⊙ (h_previous − n), 0 where masked
                int g = (t * batch + r) * 3 * u, previous = (t * batch + r) * u, now = previous + width;
                f.sigmoid(gates, g, g + 2 * u);
                for (int k = 0; k < u; k++) {
                    gates[g + 2 * u + k] += gates[g + u + k] * hun[previous + k];
                }
                f.tanh(gates, g + 2 * u, g + 3 * u);
                double m = mask == null ? 1 : mask[r * steps + t];
                for (int k = 0; k < u; k++) {
                    double z = gates[g + k], n = gates[g + 2 * u + k];
                    h[now + k] = (n + z * (h[previous + k] - n)) * m;
                }
            }
            Buffers.write(h, (t + 1) * width, states, (t + 1) * width, width);
        }
        free(product);
        freeRecurrentWeights(rw, steps);
        Pass pass = new Pass(input, rows, symbols, gates, hun, h, states, mask, batch, steps);
        kept = training ? pass : null;
        return pass;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaces) {
        assertInputSet(true);
        requireForwardPass(kept != null && kept.input() == input);
        Pass pass = kept != null && kept.input() == input ? kept : forward(null, true);
        kept = null;
        int u = units(), batch = pass.batch(), steps = pass.steps(), rows = batch * steps, block = batch * 3 * u;
        INDArray epsilonRows = epsilonRows(epsilon);
        double[] gates = pass.gates(), hun = pass.hun(), h = pass.h(), mask = pass.mask(), e = new double[batch * u];
        // d: the gradients of the gates' sums, in place of the gates (each row is read before it is
        // written); dhu: those of h·U (the n block through r), a step at a time
        double[] d = gates, dhu = new double[block], recurrent = new double[batch * u];
        INDArray rw = recurrentWeights(true, steps), da = matrix(rows, 3L * u), dhuRows = matrix(rows, 3L * u);
        INDArray dhRecurrent = matrix(batch, u);
        BlockProduct dRw = new BlockProduct(dhuRows, rw, true, dhRecurrent); // each step's dHU·RWᵀ
        for (int t = steps - 1; t >= 0; t--) {
            Buffers.read(epsilonRows, t * batch * u, batch * u, e, 0);
            for (int r = 0; r < batch; r++) {
                double m = mask == null ? 1 : mask[r * steps + t];
                int g = (t * batch + r) * 3 * u, previous = (t * batch + r) * u, local = r * 3 * u;
                for (int k = 0; k < u; k++) {
                    double dh = (e[r * u + k] + recurrent[r * u + k]) * m;
                    double z = gates[g + k], reset = gates[g + u + k], n = gates[g + 2 * u + k];
                    double dn = dh * (1 - z) * (1 - n * n);
                    d[g + k] = dh * (h[previous + k] - n) * z * (1 - z);
                    d[g + u + k] = dn * hun[previous + k] * reset * (1 - reset);
                    d[g + 2 * u + k] = dn;
                    dhu[local + k] = d[g + k];
                    dhu[local + u + k] = d[g + u + k];
                    dhu[local + 2 * u + k] = dn * reset;
                    recurrent[r * u + k] = dh * z; // the path around the gates, to which dhu·RWᵀ is added
                }
            }
            Buffers.write(dhu, 0, dhuRows, t * block, block);
            if (t > 0) {
                dRw.rows((long) t * batch, batch, 0);
                Buffers.add(dhRecurrent, recurrent, 0);
            }
        }
        Nd4j.gemm(pass.states().get(interval(0, rows), all()), dhuRows, gradientViews.get(RW), true, false, 1.0, 0.0);
        Buffers.write(d, 0, da);
        try {
            return gradients(d, da, pass.rows(), pass.symbols(), batch, workspaces);
        } finally {
            free(da, dhuRows, dhRecurrent, epsilonRows, pass.rows(), pass.states());
            freeRecurrentWeights(rw, steps);
        }
    }
}
