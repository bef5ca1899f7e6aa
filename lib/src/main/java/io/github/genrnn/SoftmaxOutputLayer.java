package io.github.genrnn;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.RnnOutputLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The working {@link SoftmaxOutput} layer. Its backward pass works on rows of (step, example)
 * pairs, row t·batch + b for example b at step t, which is how the course's recurrent layers hand
 * over their states (so they are read without a copy): z = x·W in one product, then per row the
 * bias, the softmax, the cross-entropy −Σ y·ln p (p clipped to [1e-10, 1 − 1e-10] as DL4J's loss
 * does) and its gradient (p − y), times the mask, in Java. The loss is kept, so the score DL4J asks
 * for next is not computed a second time. Anything else (per-output masks, output under a mask) is
 * DL4J's own code.
 */
final class SoftmaxOutputLayer extends RnnOutputLayer {
    private static final double CLIP = 1e-10;
    private static final String W = DefaultParamInitializer.WEIGHT_KEY, B = DefaultParamInitializer.BIAS_KEY;
    private double keptLoss;
    private INDArray keptInput, keptLabels;

    SoftmaxOutputLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaces) {
        assertInputSet(true);
        int batch = (int) input.size(0), units = (int) input.size(1), steps = (int) input.size(2), rows = batch * steps;
        boolean rowMask = maskArray == null || maskArray.rank() == 2 && maskArray.size(0) == rows && maskArray.size(1) == 1;
        if (labels == null || labels.rank() != 3 || !rowMask) {
            return super.backpropGradient(epsilon, workspaces);
        }
        applyDropOutIfNecessary(true, workspaces);
        int symbols = (int) layerConf().getNOut();
        INDArray x = Buffers.rows(input, dataType), w = getParamWithNoise(W, true, workspaces);
        double[] bias = Buffers.read(getParamWithNoise(B, true, workspaces)), gradient = new double[symbols];
        double[] mask = maskArray == null ? null : Buffers.read(maskArray.castTo(dataType).dup('c'));
        INDArray yRows = Buffers.rows(labels, dataType), z = Buffers.matrix(dataType, rows, symbols);
        Nd4j.gemm(x, w, z, false, false, 1.0, 0.0);
        double[] d = new double[batch * symbols], y = new double[d.length]; // a step's rows at a time, written over z
        double loss = 0;
        for (int first = 0; first < rows; first += batch) {
            Buffers.read(z, first * symbols, d.length, d, 0);
            Buffers.read(yRows, first * symbols, d.length, y, 0);
            for (int r = 0, o = 0; r < batch; r++, o += symbols) { // d: z, then e^(z − max), then (p − y)·m
                double m = mask == null ? 1 : mask[first + r], max = Double.NEGATIVE_INFINITY, sum = 0;
                for (int v = 0; v < symbols; v++) {
                    d[o + v] += bias[v];
                    max = Math.max(max, d[o + v]);
                }
                for (int v = 0; v < symbols; v++) {
                    d[o + v] = Math.exp(d[o + v] - max);
                    sum += d[o + v];
                }
                for (int v = 0; v < symbols; v++) {
                    double p = d[o + v] / sum;
                    if (y[o + v] != 0) {
                        loss -= m * y[o + v] * Math.log(Math.min(Math.max(p, CLIP), 1 - CLIP));
                    }
                    d[o + v] = (p - y[o + v]) * m;
                    gradient[v] += d[o + v];
                }
            }
            Buffers.write(d, 0, z, first * symbols, d.length);
        }
        INDArray dw = gradientViews.get(W), db = gradientViews.get(B); // z now holds (p − y)·m
        Nd4j.gemm(x, z, dw, true, false, 1.0, 0.0);
        Buffers.write(gradient, 0, db);
        INDArray epsOut = workspaces.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, new long[]{rows, units}, 'c');
        Nd4j.gemm(z, w, epsOut, false, true, 1.0, 0.0);
        GatedLayer.free(x, yRows, z); // the rows' copies, if any, and the product: not left to the collector
        keptLoss = loss;
        keptInput = input;
        keptLabels = labels;
        Gradient gradients = new DefaultGradient(gradientsFlattened);
        gradients.gradientForVariable().put(W, dw);
        gradients.gradientForVariable().put(B, db);
        weightNoiseParams.clear();
        return new Pair<>(gradients, backpropDropOutIfPresent(epsOut.reshape('c', steps, batch, units).permute(1, 2, 0)));
    }

    /** The probabilities for unmasked input, from the rows without a copy; DL4J's own computation under a mask. */
    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaces) {
        assertInputSet(false);
        if (input.rank() != 3 || maskArray != null) {
            return super.activate(training, workspaces);
        }
        applyDropOutIfNecessary(training, workspaces);
        long batch = input.size(0), steps = input.size(2), symbols = layerConf().getNOut();
        INDArray z = workspaces.createUninitialized(ArrayType.ACTIVATIONS, dataType, new long[]{steps * batch, symbols}, 'c');
        INDArray x = Buffers.rows(input, dataType);
        Nd4j.gemm(x, getParamWithNoise(W, training, workspaces), z, false, false, 1.0, 0.0);
        GatedLayer.free(x);
        z.addiRowVector(getParamWithNoise(B, training, workspaces));
        layerConf().getActivationFn().getActivation(z, training); // the softmax of each row, in place
        return z.reshape('c', steps, batch, symbols).permute(1, 2, 0);
    }

    /** The score of the backward pass just done, from its loss; DL4J's own computation for anything else. */
    @Override
    public double computeScore(double fullNetRegTerm, boolean training, LayerWorkspaceMgr workspaces) {
        if (keptInput == null || keptInput != input || keptLabels != labels) {
            return super.computeScore(fullNetRegTerm, training, workspaces);
        }
        keptInput = null;
        keptLabels = null;
        score = (conf().isMiniBatch() ? keptLoss / getInputMiniBatchSize() : keptLoss) + fullNetRegTerm;
        return score;
    }
}
