package io.github.genrnn;

import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Where a gated recurrent layer's weights W, RW and b sit in DL4J's flat parameter vector, and
 * their initial values: {@code blocks} gate blocks side by side, W (inputs × blocks·h), RW
 * (h × blocks·h), b (1 × blocks·h), in DL4J's LSTM layout. The {@link GRU} has 3 blocks, each
 * initialised as an in × h matrix; the {@link FusedLSTM} 4, initialised as DL4J's LSTM is (fan-in
 * h, fan-out in + h for W and RW, the forget gate's bias 1), so that it starts where DL4J's would.
 */
final class GatedParamInitializer implements ParamInitializer {
    static final String W = "W", RW = "RW", B = "b";
    static final GatedParamInitializer GRU = new GatedParamInitializer(3, false);
    static final GatedParamInitializer LSTM = new GatedParamInitializer(4, true);
    private final int blocks;
    private final boolean lstm;

    private GatedParamInitializer(int blocks, boolean lstm) {
        this.blocks = blocks;
        this.lstm = lstm;
    }

    /**
     * A new working layer made ready as DL4J's own layers' {@code instantiate} does: listeners,
     * index, parameter views from {@code initializer}.
     */
    static <L extends org.deeplearning4j.nn.layers.BaseLayer<?>> L ready(L layer, ParamInitializer initializer,
            NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int index, INDArray parameters,
            boolean initialize) {
        layer.setListeners(listeners);
        layer.setIndex(index);
        layer.setParamsViewArray(parameters);
        layer.setParamTable(initializer.init(conf, parameters, initialize));
        layer.setConf(conf);
        return layer;
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        var gated = (BaseRecurrentLayer) layer;
        return blocks * (gated.getNIn() * gated.getNOut() + gated.getNOut() * gated.getNOut() + gated.getNOut());
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return List.of(W, RW, B);
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return List.of(W, RW);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return List.of(B);
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return W.equals(key) || RW.equals(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return B.equals(key);
    }

    /** Views of W, RW and b; when asked, W and RW get the layer's weight initialisation and b its values. */
    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray view, boolean initialize) {
        var gated = (BaseRecurrentLayer) conf.getLayer();
        Map<String, INDArray> parameters = views(gated, view);
        if (initialize) {
            long in = gated.getNIn(), units = gated.getNOut();
            IWeightInit recurrent = gated.getWeightInitFnRecurrent() != null ? gated.getWeightInitFnRecurrent() : gated.getWeightInitFn();
            gated.getWeightInitFn().init(lstm ? units : in, lstm ? in + units : units, new long[]{in, blocks * units}, 'f',
                    parameters.get(W));
            recurrent.init(units, lstm ? in + units : units, new long[]{units, blocks * units}, 'f', parameters.get(RW));
            parameters.get(B).assign(gated.getBiasInit());
            if (lstm) { // blocks: candidate, forget, output, input
                parameters.get(B).get(interval(0, 1), interval(units, 2 * units)).assign(1);
            }
        }
        parameters.keySet().forEach(conf::addVariable);
        return parameters;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray view) {
        return views((BaseRecurrentLayer) conf.getLayer(), view);
    }

    private Map<String, INDArray> views(BaseRecurrentLayer gated, INDArray flat) {
        long in = gated.getNIn(), units = gated.getNOut();
        INDArray all = flat.reshape(flat.length());
        long w = in * blocks * units, rw = w + units * blocks * units;
        Map<String, INDArray> views = new LinkedHashMap<>();
        views.put(W, all.get(interval(0, w)).reshape('f', in, blocks * units));
        views.put(RW, all.get(interval(w, rw)).reshape('f', units, blocks * units));
        views.put(B, all.get(interval(rw, rw + blocks * units)).reshape(1, blocks * units));
        return views;
    }
}
