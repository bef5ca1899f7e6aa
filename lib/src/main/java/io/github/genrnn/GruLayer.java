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
        double[][] gates = new double[3][width], p = new double[3][width]; // z, r, n: example i's at i·u; p: h·RW
        double[] previous = new double[width], h = new double[width], m = new double[width], hun = p[2]; // h·Un: zeros at the first step
        startFrom(h0, previous);
        double[] mask = maskValues();
        INDArray rw = recurrentWeights(training, steps);
        BlockProduct hRw = new BlockProduct(states, rw, false, product); // each step's h·RW
        Gates f = new Gates(dataType);
        double[] z = gates[0], reset = gates[1], n = gates[2], hUz = p[0], hUr = p[1];
        for (int t = 0; t < steps; t++) {
            projection.rows(t * batch, gates, u);
            if (t > 0 || h0 != null) { // h·Uz and h·Ur join the gates' sums; h·Un waits for r
                hRw.rows((long) t * batch, batch, 0);
                Buffers.readBlocks(product, 0, p, u);
                for (int i = 0; i < width; i++) {
                    z[i] += hUz[i];
                    reset[i] += hUr[i];
                }
            }
            f.sigmoid(z, 0, width);
            f.sigmoid(reset, 0, width);
            for (int i = 0; i < width; i++) {
                n[i] += reset[i] * hun[i];
            }
            f.tanh(n, 0, width);
            stepMask(mask, t, steps, u, m);
            for (int i = 0; i < width; i++) { // h = n + z ⊙ (h_previous − n), 0 where masked
                h[i] = (n[i] + z[i] * (previous[i] - n[i])) * m[i];
            }
            if (training) {
                Buffers.writeBlocks(gates, u, projection.kept(), t * block);
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
        INDArray epsilonRows = epsilonRows(epsilon), da = pass.gates(); // each step's gates give way to their gradients, if read
        double[] mask = pass.mask(), m = new double[width], e = new double[width], hun = new double[width], previous = new double[width];
        // d: the gates, then the gradients of their sums; dhu: those of h·U (the n block's through r)
        double[][] d = new double[3][width], dhu = {d[0], d[1], new double[width]};
        double[] recurrent = new double[width], z = d[0], reset = d[1], n = d[2], dhun = dhu[2];
        GradientSums sums = new GradientSums(3, batch, u, (int) pass.rows().size(1), pass.symbols());
        INDArray rw = recurrentWeights(true, steps), dhuRows = matrix(rows, 3L * u), dhRecurrent = matrix(batch, u);
        BlockProduct dRw = new BlockProduct(dhuRows, rw, true, dhRecurrent); // each step's dHU·RWᵀ
        for (int t = steps - 1; t >= 0; t--) {
            Buffers.read(epsilonRows, t * width, width, e, 0);
            Buffers.readBlocks(da, t * block, d, u);
            Buffers.read(pass.hun(), t * width, width, hun, 0);
            Buffers.read(pass.states(), t * width, width, previous, 0);
            stepMask(mask, t, steps, u, m);
            for (int i = 0; i < width; i++) { // e becomes dh; recurrent: the path around the gates, to which dhu·RWᵀ is added
                double dh = (e[i] + recurrent[i]) * m[i];
                e[i] = dh;
                recurrent[i] = dh * z[i];
            }
            for (int i = 0; i < width; i++) {
                double dh = e[i], zi = z[i], ni = n[i];
                n[i] = dh * (1 - zi) * (1 - ni * ni);
                z[i] = dh * (previous[i] - ni) * zi * (1 - zi);
            }
            for (int i = 0; i < width; i++) {
                double dn = n[i], ri = reset[i];
                reset[i] = dn * hun[i] * ri * (1 - ri);
                dhun[i] = dn * ri;
            }
            Buffers.writeBlocks(dhu, u, dhuRows, t * block);
            if (readsGateGradients(pass.symbols())) {
                Buffers.writeBlocks(d, u, da, t * block);
            }
            sums.add(d, t * batch, batch);
            if (t > 0) {
                dRw.rows((long) t * batch, batch, 0);
                Buffers.add(dhRecurrent, recurrent, 0);
            }
        }
        Nd4j.gemm(pass.states().get(interval(0, rows), all()), dhuRows, gradientViews.get(RW), true, false, 1.0, 0.0);
        try {
            return gradients(sums, da, pass.rows(), batch, workspaces);
        } finally {
            free(dhuRows, dhRecurrent, epsilonRows);
            pass.free(); // da among them
            freeRecurrentWeights(rw, steps);
        }
    }
}
