package io.github.genrnn;

import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Where a {@link GRU}'s weights W, RW and b sit in DL4J's flat parameter vector, and their initial values. */
final class GruParamInitializer implements ParamInitializer {
    static final GruParamInitializer INSTANCE = new GruParamInitializer();
    static final String W = "W", RW = "RW", B = "b";

    private GruParamInitializer() {
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        GRU gru = (GRU) layer;
        return 3 * (gru.getNIn() * gru.getNOut() + gru.getNOut() * gru.getNOut() + gru.getNOut());
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

    /**
     * Views of W, RW and b; when asked, W and RW get the layer's weight initialisation (each gate's
     * block is an in × h matrix, so fan-in and fan-out are those of one gate) and b its bias value.
     */
    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray view, boolean initialize) {
        GRU gru = (GRU) conf.getLayer();
        Map<String, INDArray> parameters = views(gru, view);
        if (initialize) {
            long in = gru.getNIn(), units = gru.getNOut();
            IWeightInit recurrent = gru.getWeightInitFnRecurrent() != null ? gru.getWeightInitFnRecurrent() : gru.getWeightInitFn();
            gru.getWeightInitFn().init(in, units, new long[]{in, 3 * units}, 'f', parameters.get(W));
            recurrent.init(units, units, new long[]{units, 3 * units}, 'f', parameters.get(RW));
            parameters.get(B).assign(gru.getBiasInit());
        }
        parameters.keySet().forEach(conf::addVariable);
        return parameters;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray view) {
        return views((GRU) conf.getLayer(), view);
    }

    private static Map<String, INDArray> views(GRU gru, INDArray flat) {
        long in = gru.getNIn(), units = gru.getNOut();
        INDArray all = flat.reshape(flat.length());
        long w = in * 3 * units, rw = w + units * 3 * units;
        Map<String, INDArray> views = new LinkedHashMap<>();
        views.put(W, all.get(interval(0, w)).reshape('f', in, 3 * units));
        views.put(RW, all.get(interval(w, rw)).reshape('f', units, 3 * units));
        views.put(B, all.get(interval(rw, rw + 3 * units)).reshape(1, 3 * units));
        return views;
    }
}
