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
        double[][] gates = new double[4][width]; // candidate, forget, output, input: example r's at r·u
        double[] c = new double[width], tanhCells = new double[width], h = new double[width], m = new double[width];
        startFrom(c0, c);
        Buffers.write(c, 0, cells, 0, width);
        double[] mask = maskValues();
        INDArray rw = recurrentWeights(training, steps);
        BlockProduct hRw = new BlockProduct(states, rw, false, product); // each step's h·RW
        Gates f = new Gates(dataType);
        for (int t = 0; t < steps; t++) {
            projection.rows(t * batch, gates, u);
            if (t > 0 || h0 != null) {
                hRw.rows((long) t * batch, batch, 0);
                Buffers.addBlocks(product, gates, u);
            }
            f.tanh(gates[0], 0, width);
            for (int g = 1; g < 4; g++) {
                f.sigmoid(gates[g], 0, width);
            }
            double[] candidate = gates[0], forget = gates[1], out = gates[2], in = gates[3];
            stepMask(mask, t, steps, u, m);
            for (int i = 0; i < width; i++) { // c = forget ⊙ c_previous + in ⊙ candidate, 0 where masked
                c[i] = (forget[i] * c[i] + in[i] * candidate[i]) * m[i];
            }
            System.arraycopy(c, 0, tanhCells, 0, width);
            f.tanh(tanhCells, 0, width);
            for (int i = 0; i < width; i++) { // h = out ⊙ tanh(c), 0 where masked
                h[i] = out[i] * tanhCells[i] * m[i];
            }
            if (training) { // outside training only the last cells are read, for the state kept
                Buffers.writeBlocks(gates, u, projection.kept(), t * block);
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
        double[][] d = new double[4][width]; // the gates, then their gradients, as in the forward pass
        double[] mask = pass.mask(), m = new double[width], recurrent = new double[width], cellNext = new double[width];
        double[] e = new double[width], previous = new double[width], now = new double[width], tanhCells = new double[width];
        GradientSums sums = new GradientSums(4, batch, u, (int) pass.rows().size(1), pass.symbols());
        Gates f = new Gates(dataType);
        INDArray rw = recurrentWeights(true, steps), dhRecurrent = matrix(batch, u);
        BlockProduct dRw = new BlockProduct(da, rw, true, dhRecurrent); // each step's dA·RWᵀ
        Buffers.read(pass.cells(), steps * width, width, now, 0);
        for (int t = steps - 1; t >= 0; t--) {
            Buffers.read(epsilonRows, t * width, width, e, 0);
            Buffers.readBlocks(da, t * block, d, u);
            Buffers.read(pass.cells(), t * width, width, previous, 0);
            System.arraycopy(now, 0, tanhCells, 0, width); // masked already: where the mask is 0, so is every gradient
            f.tanh(tanhCells, 0, width);
            double[] candidate = d[0], forget = d[1], out = d[2], in = d[3];
            stepMask(mask, t, steps, u, m);
            for (int i = 0; i < width; i++) { // e becomes dh, cellNext dc; recurrent is zeros at the last step
                double dh = (e[i] + recurrent[i]) * m[i], tc = tanhCells[i];
                e[i] = dh;
                cellNext[i] = cellNext[i] * m[i] + dh * out[i] * (1 - tc * tc);
            }
            for (int i = 0; i < width; i++) {
                double o = out[i];
                out[i] = e[i] * tanhCells[i] * o * (1 - o);
            }
            for (int i = 0; i < width; i++) {
                double dc = cellNext[i], cand = candidate[i], ig = in[i];
                candidate[i] = dc * ig * (1 - cand * cand);
                in[i] = dc * cand * ig * (1 - ig);
            }
            for (int i = 0; i < width; i++) {
                double dc = cellNext[i], fg = forget[i];
                forget[i] = dc * previous[i] * fg * (1 - fg);
                cellNext[i] = dc * fg;
            }
            Buffers.writeBlocks(d, u, da, t * block); // read by each step's dA·RWᵀ and by RW's gradient
            sums.add(d, t * batch, batch);
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
            return gradients(sums, da, pass.rows(), batch, workspaces);
        } finally {
            free(dhRecurrent, epsilonRows);
            pass.free(); // da among them
            freeRecurrentWeights(rw, steps);
        }
    }
}
