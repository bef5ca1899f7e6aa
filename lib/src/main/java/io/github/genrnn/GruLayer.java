package io.github.genrnn;

import static io.github.genrnn.GatedParamInitializer.B;
import static io.github.genrnn.GatedParamInitializer.RW;
import static io.github.genrnn.GatedParamInitializer.W;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

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
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastCopyOp;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The working {@link GRU} layer: the forward pass step by step, and backpropagation through time. */
final class GruLayer extends GatedLayer<GRU> {
    private static final String STATE = "h";

    /** One forward pass over a sequence: the states h, and per step the gates z, r, n and the product h·Un. */
    private record Pass(INDArray h, INDArray gates, INDArray hun) {
    }

    GruLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaces) {
        return permuteIfNWC(forward(null, training, false, workspaces).h);
    }

    @Override
    INDArray activateFrom(Map<String, INDArray> state, boolean storeLast, boolean training, LayerWorkspaceMgr workspaces) {
        INDArray h = forward(state.get(STATE), training, false, workspaces).h;
        if (storeLast) {
            state.put(STATE, lastStep(h));
        }
        return permuteIfNWC(h);
    }

    private static INDArray lastStep(INDArray h) {
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return h.get(all(), all(), point(h.size(2) - 1)).dup();
        }
    }

    /** The input as [batch, inputs, steps] in 'f' order, so that each step is one contiguous matrix. */
    private INDArray input(LayerWorkspaceMgr workspaces) {
        INDArray x = permuteIfNWC(input.castTo(dataType));
        return x.ordering() == 'f' && !Shape.strideDescendingCAscendingF(x) ? x : workspaces.dup(ArrayType.ACTIVATIONS, x, 'f');
    }

    private INDArray maskAt(long step) {
        return maskArray.getColumn(step, true).castTo(dataType);
    }

    /** Steps through the sequence from state h0 (null for zeros), keeping what backpropagation needs when asked. */
    private Pass forward(INDArray h0, boolean training, boolean forBackprop, LayerWorkspaceMgr workspaces) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaces);
        INDArray x = input(workspaces);
        long batch = x.size(0), steps = x.size(2), units = layerConf().getNOut();
        if (h0 != null && h0.size(0) != batch) {
            throw new IllegalStateException("The GRU's stored state is for " + h0.size(0) + " sequences, the input has "
                    + batch + ": call rnnClearPreviousState() before a batch of another size.");
        }
        INDArray w = getParamWithNoise(W, training, workspaces), rw = getParamWithNoise(RW, training, workspaces);
        ArrayType kept = forBackprop ? ArrayType.BP_WORKING_MEM : ArrayType.FF_WORKING_MEM;
        INDArray h = workspaces.createUninitialized(ArrayType.ACTIVATIONS, dataType, new long[]{batch, units, steps}, 'f');
        INDArray gates = workspaces.createUninitialized(kept, dataType, new long[]{batch, 3 * units, steps}, 'f');
        INDArray hun = workspaces.create(kept, dataType, new long[]{batch, units, steps}, 'f');
        INDArray hu = workspaces.createUninitialized(ArrayType.FF_WORKING_MEM, dataType, new long[]{batch, 3 * units}, 'f');
        Nd4j.getExecutioner().exec(new BroadcastCopyOp(gates, getParamWithNoise(B, training, workspaces), gates, 1));
        INDArray previous = h0 == null ? null : h0.castTo(dataType);
        for (long t = 0; t < steps; t++) {
            INDArray g = gates.get(all(), all(), point(t));
            Nd4j.gemm(x.get(all(), all(), point(t)), w, g, false, false, 1.0, 1.0);
            INDArray zr = g.get(all(), interval(0, 2 * units)), z = g.get(all(), interval(0, units));
            INDArray r = g.get(all(), interval(units, 2 * units)), n = g.get(all(), interval(2 * units, 3 * units));
            INDArray hunT = hun.get(all(), all(), point(t));
            if (previous != null) {
                Nd4j.gemm(previous, rw, hu, false, false, 1.0, 0.0);
                zr.addi(hu.get(all(), interval(0, 2 * units)));
                hunT.assign(hu.get(all(), interval(2 * units, 3 * units)));
            }
            Transforms.sigmoid(zr, false);
            Transforms.tanh(n.addi(r.mul(hunT)), false);
            INDArray ht = h.get(all(), all(), point(t));
            if (previous != null) {
                ht.assign(previous).subi(n).muli(z).addi(n);  // (1 − z)·n + z·h = n + z·(h − n)
            } else {
                ht.assign(n).muli(z.rsub(1.0));
            }
            if (maskArray != null) {
                ht.muliColumnVector(maskAt(t));
            }
            previous = ht;
        }
        return new Pass(h, gates, hun);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaces) {
        assertInputSet(true);
        Pass pass = forward(null, true, true, workspaces);
        INDArray x = input(workspaces), eps = permuteIfNWC(epsilon);
        long batch = x.size(0), steps = x.size(2), units = layerConf().getNOut();
        INDArray w = getParamWithNoise(W, true, workspaces), rw = getParamWithNoise(RW, true, workspaces);
        INDArray dw = gradientViews.get(W), drw = gradientViews.get(RW), db = gradientViews.get(B);
        gradientsFlattened.assign(0);
        INDArray epsOut = workspaces.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'f');
        INDArray da = workspaces.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, new long[]{batch, 3 * units}, 'f');
        INDArray dhu = workspaces.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, new long[]{batch, 3 * units}, 'f');
        INDArray dz = da.get(all(), interval(0, units)), dr = da.get(all(), interval(units, 2 * units));
        INDArray dzr = da.get(all(), interval(0, 2 * units)), dn = da.get(all(), interval(2 * units, 3 * units));
        INDArray dhNext = null;
        for (long t = steps - 1; t >= 0; t--) {
            INDArray g = pass.gates.get(all(), all(), point(t)), hunT = pass.hun.get(all(), all(), point(t));
            INDArray z = g.get(all(), interval(0, units)), r = g.get(all(), interval(units, 2 * units));
            INDArray n = g.get(all(), interval(2 * units, 3 * units));
            INDArray previous = t > 0 ? pass.h.get(all(), all(), point(t - 1)) : null;
            INDArray dh = eps.get(all(), all(), point(t)).dup('f');
            if (dhNext != null) {
                dh.addi(dhNext);
            }
            if (maskArray != null) {
                dh.muliColumnVector(maskAt(t));
            }
            dn.assign(z.rsub(1.0)).muli(dh).muli(n.mul(n).rsubi(1.0));              // through n = tanh(·)
            dz.assign(previous != null ? previous.sub(n) : n.neg()).muli(dh).muli(z.mul(z.rsub(1.0)));
            dr.assign(dn).muli(hunT).muli(r.mul(r.rsub(1.0)));
            Nd4j.gemm(x.get(all(), all(), point(t)), da, dw, true, false, 1.0, 1.0);
            db.addi(da.sum(true, 0));
            Nd4j.gemm(da, w, epsOut.get(all(), all(), point(t)), false, true, 1.0, 0.0);
            if (previous != null) {
                dhu.get(all(), interval(0, 2 * units)).assign(dzr);
                dhu.get(all(), interval(2 * units, 3 * units)).assign(dn.mul(r));
                Nd4j.gemm(previous, dhu, drw, true, false, 1.0, 1.0);
                dhNext = dh.mul(z);
                Nd4j.gemm(dhu, rw, dhNext, false, true, 1.0, 1.0);
            }
        }
        weightNoiseParams.clear();
        Gradient gradient = new DefaultGradient(gradientsFlattened);
        gradient.gradientForVariable().put(W, dw);
        gradient.gradientForVariable().put(RW, drw);
        gradient.gradientForVariable().put(B, db);
        return new Pair<>(gradient, permuteIfNWC(backpropDropOutIfPresent(epsOut)));
    }
}
