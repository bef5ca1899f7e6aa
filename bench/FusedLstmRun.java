import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import io.github.genrnn.AgNews;
import io.github.genrnn.CharVocabulary;
import io.github.genrnn.GeneratorSpec;
import io.github.genrnn.NewsArticle;
import io.github.genrnn.TitleBatches;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The throughput issue's lever "fewer, larger ops per time step", as a prototype: an LSTM layer
 * with DL4J's parameter layout whose forward and backward passes make one matrix product per time
 * step each way (the input projection, the weight gradients and the input gradient are one product
 * over all steps) and do the gates' element-wise work in Java arrays, copied in and out of ND4J's
 * buffers in bulk once per step. Float only; no rnnTimeStep. Checks outputs and gradients against
 * DL4J's LSTM on random weights with a mask, then times training steps of both (batch 64, buckets,
 * 10 warm-up steps, 40 timed for LSTM(128), 12 for 2×LSTM(256)) and prints where the fused
 * layer's time goes. Run by bench/run --fused; results in RESULTS.md.
 */
public class FusedLstmRun {
    public static void main(String[] args) {
        Locale.setDefault(Locale.ROOT);
        check();
        time();
    }

    static MultiLayerNetwork network(boolean fused, int symbols, int units, int layers, long seed) {
        var builder = new NeuralNetConfiguration.Builder().seed(seed).updater(new Adam(0.01)).weightInit(WeightInit.XAVIER)
                .gradientNormalization(GradientNormalization.ClipElementWiseAbsoluteValue).gradientNormalizationThreshold(5.0).list();
        for (int i = 0; i < layers; i++) {
            int in = i == 0 ? symbols : units;
            builder.layer(fused ? new FusedLstm.Builder().nIn(in).nOut(units).build()
                    : new LSTM.Builder().nIn(in).nOut(units).activation(Activation.TANH).build());
        }
        builder.layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).nIn(units).nOut(symbols).build());
        MultiLayerNetwork net = new MultiLayerNetwork(builder.build());
        net.init();
        return net;
    }

    static void check() {
        int v = 10, batch = 3, steps = 7;
        for (int layers = 1; layers <= 2; layers++) {
            MultiLayerNetwork dl4j = network(false, v, 16, layers, 1), fused = network(true, v, 16, layers, 1);
            Nd4j.getRandom().setSeed(3);
            dl4j.setParams(Nd4j.randn(DataType.FLOAT, 1, dl4j.numParams()).muli(0.5));
            fused.setParams(dl4j.params().dup());
            for (boolean oneHot : new boolean[] {false, true}) {
            INDArray x = oneHot ? Nd4j.zeros(DataType.FLOAT, batch, v, steps) : Nd4j.randn(DataType.FLOAT, batch, v, steps);
            if (oneHot) {
                for (int b = 0; b < batch; b++) {
                    for (int t = 0; t < steps; t++) {
                        x.putScalar(b, (b * 5 + t * 7) % v, t, 1);
                    }
                }
            }
            INDArray labels = Nd4j.zeros(DataType.FLOAT, batch, v, steps);
            for (int b = 0; b < batch; b++) {
                for (int t = 0; t < steps; t++) {
                    labels.putScalar(b, (b * 3 + t) % v, t, 1);
                }
            }
            INDArray mask = Nd4j.ones(DataType.FLOAT, batch, steps);
            mask.get(interval(1, 2), interval(5, steps)).assign(0);
            mask.get(interval(2, 3), interval(2, steps)).assign(0);
            DataSet data = new DataSet(x, labels, mask, mask);
            double[] diffs = new double[3];
            MultiLayerNetwork[] nets = {dl4j, fused};
            INDArray[] out = new INDArray[2], grad = new INDArray[2];
            double[] score = new double[2];
            for (int n = 0; n < 2; n++) {
                out[n] = nets[n].output(x, false, mask, mask);
                nets[n].setInput(x);
                nets[n].setLabels(labels);
                nets[n].setLayerMaskArrays(mask, mask);
                nets[n].computeGradientAndScore();
                grad[n] = nets[n].gradient().gradient().dup();
                score[n] = nets[n].score();
            }
            diffs[0] = out[0].sub(out[1]).amaxNumber().doubleValue();
            diffs[1] = grad[0].sub(grad[1]).amaxNumber().doubleValue();
            diffs[2] = Math.abs(score[0] - score[1]);
            System.out.printf("# %d layer(s), %s input: largest difference from DL4J's LSTM: output %.1e, gradient %.1e (of %.1e), score %.1e%n",
                    layers, oneHot ? "one-hot" : "random", diffs[0], diffs[1], grad[0].amaxNumber().doubleValue(), diffs[2]);
            }
        }
    }

    static void time() {
        List<String> titles = AgNews.load().train().stream().map(NewsArticle::title).toList();
        CharVocabulary vocabulary = CharVocabulary.fromTexts(titles);
        List<DataSet> batches = new ArrayList<>();
        var iterator = TitleBatches.of(titles, vocabulary, 64).shuffled(1).bucketed();
        while (batches.size() < 50) {
            if (!iterator.hasNext()) {
                iterator.reset();
            }
            batches.add(iterator.next());
        }
        for (int[] shape : new int[][] {{1, 128, 40}, {2, 256, 12}}) {
            for (boolean fused : new boolean[] {false, true}) {
                MultiLayerNetwork net = network(fused, vocabulary.size(), shape[1], shape[0], 42);
                for (int i = 0; i < 10; i++) {
                    net.fit(batches.get(i));
                }
                long start = System.nanoTime();
                for (int i = 10; i < 10 + shape[2]; i++) {
                    net.fit(batches.get(i));
                }
                System.out.printf("%s train_step_%dx%d %.4f s%n", fused ? "fused" : "dl4j", shape[0], shape[1],
                        (System.nanoTime() - start) / 1e9 / shape[2]);
                if (fused) {
                    System.out.printf("# per step: setup %.4f, fwd gemm %.4f, fwd loops %.4f, bwd gemm %.4f, bwd big gemms %.4f, bwd loops %.4f s%n",
                            FusedLstmLayer.PROF[0] / 1e9 / (10 + shape[2]), FusedLstmLayer.PROF[1] / 1e9 / (10 + shape[2]),
                            FusedLstmLayer.PROF[2] / 1e9 / (10 + shape[2]), FusedLstmLayer.PROF[3] / 1e9 / (10 + shape[2]),
                            FusedLstmLayer.PROF[4] / 1e9 / (10 + shape[2]), FusedLstmLayer.PROF[5] / 1e9 / (10 + shape[2]));
                    java.util.Arrays.fill(FusedLstmLayer.PROF, 0);
                }
            }
        }
    }
}

/** The configuration: like DL4J's LSTM (tanh, sigmoid gates, forget-gate bias 1), run by {@link FusedLstmLayer}. */
class FusedLstm extends BaseRecurrentLayer {
    FusedLstm(Builder b) {
        super(b);
    }

    private FusedLstm() {
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int index,
                                                      INDArray parameters, boolean initialize, DataType dataType) {
        FusedLstmLayer layer = new FusedLstmLayer(conf, dataType);
        layer.setListeners(listeners);
        layer.setIndex(index);
        layer.setParamsViewArray(parameters);
        layer.setParamTable(initializer().init(conf, parameters, initialize));
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return FusedLstmParams.INSTANCE;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        throw new UnsupportedOperationException();
    }

    static class Builder extends BaseRecurrentLayer.Builder<Builder> {
        @Override
        @SuppressWarnings("unchecked")
        public FusedLstm build() {
            return new FusedLstm(this);
        }
    }
}

/** DL4J's LSTM layout: W [in, 4h], RW [h, 4h], b [1, 4h], blocks in the order candidate, forget, output, input. */
class FusedLstmParams implements ParamInitializer {
    static final FusedLstmParams INSTANCE = new FusedLstmParams();

    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    public long numParams(Layer layer) {
        FusedLstm l = (FusedLstm) layer;
        return 4 * (l.getNIn() * l.getNOut() + l.getNOut() * l.getNOut() + l.getNOut());
    }

    public List<String> paramKeys(Layer layer) {
        return List.of("W", "RW", "b");
    }

    public List<String> weightKeys(Layer layer) {
        return List.of("W", "RW");
    }

    public List<String> biasKeys(Layer layer) {
        return List.of("b");
    }

    public boolean isWeightParam(Layer layer, String key) {
        return !key.equals("b");
    }

    public boolean isBiasParam(Layer layer, String key) {
        return key.equals("b");
    }

    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray view, boolean initialize) {
        FusedLstm l = (FusedLstm) conf.getLayer();
        Map<String, INDArray> p = views(l, view);
        if (initialize) {
            long in = l.getNIn(), h = l.getNOut();
            l.getWeightInitFn().init(h, in + h, new long[]{in, 4 * h}, 'f', p.get("W"));
            l.getWeightInitFn().init(h, in + h, new long[]{h, 4 * h}, 'f', p.get("RW"));
            p.get("b").assign(0);
            p.get("b").get(all(), interval(h, 2 * h)).assign(1);
        }
        p.keySet().forEach(conf::addVariable);
        return p;
    }

    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray view) {
        return views((FusedLstm) conf.getLayer(), view);
    }

    private static Map<String, INDArray> views(FusedLstm l, INDArray flat) {
        long in = l.getNIn(), h = l.getNOut();
        INDArray all = flat.reshape(flat.length());
        long w = in * 4 * h, rw = w + h * 4 * h;
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put("W", all.get(interval(0, w)).reshape('f', in, 4 * h));
        m.put("RW", all.get(interval(w, rw)).reshape('f', h, 4 * h));
        m.put("b", all.get(interval(rw, rw + 4 * h)).reshape(1, 4 * h));
        return m;
    }
}

/** The working layer: float only; keeps its forward pass (in buffers outside DL4J's workspaces) for the backward pass. */
class FusedLstmLayer extends org.deeplearning4j.nn.layers.recurrent.BaseRecurrentLayer<FusedLstm> {
    static final long[] PROF = new long[8];
    private INDArray x2, hs;
    private float[] g, c, tanhC, mask;
    private int batch, steps, inputs;
    private int[] symbols; // per row of x2, for one-hot input: the symbol, or -1 for a row of zeros

    FusedLstmLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** e^x in float: Cephes' expf (range reduction by ln 2, a degree-5 polynomial), about 1e-7 relative error. */
    static float exp(float x) {
        x = Math.max(-87.3f, Math.min(88.3f, x));
        float n = (float) Math.floor(x * 1.44269504088896341f + 0.5f);
        float r = x - n * 0.693359375f + n * 2.12194440e-4f;
        float p = ((((1.9875691500e-4f * r + 1.3981999507e-3f) * r + 8.3334519073e-3f) * r + 4.1665795894e-2f) * r
                + 1.6666665459e-1f) * r + 5.0000001201e-1f;
        return (p * r * r + r + 1) * Float.intBitsToFloat(((int) n + 127) << 23);
    }

    static float sigmoid(float x) {
        return 1 / (1 + exp(-x));
    }

    static float tanh(float x) {
        return 2 / (1 + exp(-2 * x)) - 1;
    }

    private static FloatBuffer floats(INDArray a) {
        return a.data().asNioFloat().position((int) a.offset()).slice();
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr ws) {
        long a = System.nanoTime();
        applyDropOutIfNecessary(training, ws);
        INDArray x = input.castTo(DataType.FLOAT);
        batch = (int) x.size(0);
        inputs = (int) x.size(1);
        steps = (int) x.size(2);
        int u = (int) layerConf().getNOut(), rows = batch * steps, block = batch * 4 * u;
        INDArray w = getParam("W"), rw = getParam("RW"), b = getParam("b");
        INDArray gates, gt;
        try (MemoryWorkspace none = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            x2 = x.permute(2, 0, 1).dup('c').reshape('c', rows, inputs);
            hs = Nd4j.create(DataType.FLOAT, new long[]{rows + batch, u}, 'c');
            gt = Nd4j.createUninitialized(DataType.FLOAT, new long[]{batch, 4L * u}, 'c');
        }
        symbols = oneHot(x2, rows);
        g = new float[rows * 4 * u];
        if (symbols != null) { // one-hot × W is a row of W: gathered, no product
            float[] wf = new float[inputs * 4 * u], bias = new float[4 * u];
            floats(w).get(wf);
            floats(b).get(bias);
            for (int r = 0; r < rows; r++) {
                int symbol = symbols[r];
                for (int j = 0; j < 4 * u; j++) {
                    g[r * 4 * u + j] = (symbol >= 0 ? wf[symbol + j * inputs] : 0) + bias[j];
                }
            }
        } else {
            try (MemoryWorkspace none = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                gates = Nd4j.createUninitialized(DataType.FLOAT, new long[]{rows, 4L * u}, 'c');
                Nd4j.gemm(x2, w, gates, false, false, 1.0, 0.0);
                gates.addiRowVector(b);
            }
            floats(gates).get(g);
        }
        c = new float[(rows + batch) * u];
        tanhC = new float[(rows + batch) * u];
        float[] h = new float[(rows + batch) * u];
        mask = maskArray == null ? null : maskArray.castTo(DataType.FLOAT).dup('c').data().asFloat();
        FloatBuffer hb = floats(hs), gtb = floats(gt);
        PROF[0] += System.nanoTime() - a;
        for (int t = 0; t < steps; t++) {
            a = System.nanoTime();
            if (t > 0) {
                Nd4j.gemm(hs.get(interval(t * batch, (t + 1) * batch), all()), rw, gt, false, false, 1.0, 0.0);
                float[] rec = new float[block];
                gtb.get(0, rec);
                for (int i = 0; i < block; i++) {
                    g[t * block + i] += rec[i];
                }
            }
            PROF[1] += System.nanoTime() - a;
            a = System.nanoTime();
            for (int r = 0; r < batch; r++) {
                float m = mask == null ? 1 : mask[r * steps + t];
                int gi0 = (t * batch + r) * 4 * u, prev = (t * batch + r) * u, next = ((t + 1) * batch + r) * u;
                for (int k = 0; k < u; k++) {
                    float cand = tanh(g[gi0 + k]), forget = sigmoid(g[gi0 + u + k]);
                    float out = sigmoid(g[gi0 + 2 * u + k]), in = sigmoid(g[gi0 + 3 * u + k]);
                    g[gi0 + k] = cand;
                    g[gi0 + u + k] = forget;
                    g[gi0 + 2 * u + k] = out;
                    g[gi0 + 3 * u + k] = in;
                    float cell = forget * c[prev + k] + in * cand;
                    float tc = tanh(cell);
                    c[next + k] = cell * m;
                    tanhC[next + k] = tc;
                    h[next + k] = out * tc * m;
                }
            }
            hb.put((t + 1) * batch * u, h, (t + 1) * batch * u, batch * u);
            PROF[2] += System.nanoTime() - a;
        }
        INDArray result = ws.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, new long[]{batch, u, steps}, 'f');
        float[] o = new float[batch * u * steps];
        for (int t = 0; t < steps; t++) {
            for (int r = 0; r < batch; r++) {
                int from = ((t + 1) * batch + r) * u;
                for (int k = 0; k < u; k++) {
                    o[r + k * batch + t * batch * u] = h[from + k];
                }
            }
        }
        floats(result).put(o);
        return result;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr ws) {
        int u = (int) layerConf().getNOut(), rows = batch * steps, block = batch * 4 * u;
        INDArray rw = getParam("RW"), w = getParam("W");
        INDArray da, dhRec, dat;
        float[] e = new float[batch * u * steps];
        try (MemoryWorkspace none = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            da = Nd4j.createUninitialized(DataType.FLOAT, new long[]{rows, 4L * u}, 'c');
            dhRec = Nd4j.create(DataType.FLOAT, new long[]{batch, u}, 'c');
            floats(epsilon.castTo(DataType.FLOAT).dup('f')).get(e);
        }
        FloatBuffer recb = floats(dhRec), dab = floats(da);
        float[] d = new float[rows * 4 * u], rec = new float[batch * u];
        float[] dcNext = new float[batch * u];
        for (int t = steps - 1; t >= 0; t--) {
            long a = System.nanoTime();
            if (t < steps - 1) {
                recb.get(0, rec);
            }
            for (int r = 0; r < batch; r++) {
                float m = mask == null ? 1 : mask[r * steps + t];
                int gi0 = (t * batch + r) * 4 * u, prev = (t * batch + r) * u, now = ((t + 1) * batch + r) * u;
                for (int k = 0; k < u; k++) {
                    float dh = (e[r + k * batch + t * batch * u] + (t < steps - 1 ? rec[r * u + k] : 0)) * m;
                    float cand = g[gi0 + k], forget = g[gi0 + u + k], out = g[gi0 + 2 * u + k], in = g[gi0 + 3 * u + k];
                    float tc = tanhC[now + k];
                    float dc = dcNext[r * u + k] * m + dh * out * (1 - tc * tc);
                    d[gi0 + k] = dc * in * (1 - cand * cand);
                    d[gi0 + u + k] = dc * c[prev + k] * forget * (1 - forget);
                    d[gi0 + 2 * u + k] = dh * tc * out * (1 - out);
                    d[gi0 + 3 * u + k] = dc * cand * in * (1 - in);
                    dcNext[r * u + k] = dc * forget;
                }
            }
            dab.put(t * block, d, t * block, block);
            PROF[5] += System.nanoTime() - a;
            a = System.nanoTime();
            if (t > 0) {
                Nd4j.gemm(da.get(interval(t * batch, (t + 1) * batch), all()), rw, dhRec, false, true, 1.0, 0.0);
            }
            PROF[3] += System.nanoTime() - a;
        }
        long a = System.nanoTime();
        INDArray dw = gradientViews.get("W"), drw = gradientViews.get("RW"), db = gradientViews.get("b");
        if (symbols != null) { // the rows of dA added into the rows of dW their symbols select
            float[] dwf = new float[inputs * 4 * u];
            for (int r = 0; r < rows; r++) {
                int symbol = symbols[r];
                if (symbol >= 0) {
                    for (int j = 0; j < 4 * u; j++) {
                        dwf[symbol + j * inputs] += d[r * 4 * u + j];
                    }
                }
            }
            floats(dw).put(dwf);
        } else {
            Nd4j.gemm(x2, da, dw, true, false, 1.0, 0.0);
        }
        Nd4j.gemm(hs.get(interval(0, rows), all()), da, drw, true, false, 1.0, 0.0);
        db.assign(da.sum(true, 0));
        INDArray epsOut = null; // the first layer has no layer below to send a gradient to
        if (getIndex() > 0) {
            epsOut = ws.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT, new long[]{batch, inputs, steps}, 'f');
            try (MemoryWorkspace none = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                INDArray flat = Nd4j.createUninitialized(DataType.FLOAT, new long[]{rows, inputs}, 'c');
                Nd4j.gemm(da, w, flat, false, true, 1.0, 0.0);
                epsOut.assign(flat.reshape('c', steps, batch, inputs).permute(1, 2, 0));
            }
        }
        PROF[4] += System.nanoTime() - a;
        Gradient gradient = new DefaultGradient(gradientsFlattened);
        gradient.gradientForVariable().put("W", dw);
        gradient.gradientForVariable().put("RW", drw);
        gradient.gradientForVariable().put("b", db);
        return new Pair<>(gradient, epsOut == null ? null : backpropDropOutIfPresent(epsOut));
    }

    /** The symbol of each row when every row is one-hot or all zeros, else null. */
    private static int[] oneHot(INDArray rowsOfX, int rows) {
        int columns = (int) rowsOfX.size(1);
        float[] x = new float[rows * columns];
        floats(rowsOfX).get(x);
        int[] symbols = new int[rows];
        for (int r = 0; r < rows; r++) {
            symbols[r] = -1;
            for (int i = 0; i < columns; i++) {
                float value = x[r * columns + i];
                if (value == 1 && symbols[r] < 0) {
                    symbols[r] = i;
                } else if (value != 0) {
                    return null;
                }
            }
        }
        return symbols;
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray mask, MaskState state, int minibatchSize) {
        this.maskArray = mask;
        return new Pair<>(mask, MaskState.Passthrough);
    }

    @Override
    public Type type() {
        return Type.RECURRENT;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public INDArray rnnTimeStep(INDArray input, LayerWorkspaceMgr ws) {
        throw new UnsupportedOperationException();
    }

    @Override
    public INDArray rnnActivateUsingStoredState(INDArray input, boolean training, boolean store, LayerWorkspaceMgr ws) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Pair<Gradient, INDArray> tbpttBackpropGradient(INDArray epsilon, int length, LayerWorkspaceMgr ws) {
        throw new UnsupportedOperationException();
    }
}
