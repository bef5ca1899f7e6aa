package io.github.genrnn;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's LSTM (tanh, sigmoid gates, the same parameters W, RW and b in the same layout and the
 * same initialisation) computed in fewer, larger steps: one matrix product per time step forward
 * and one backward, the weight gradients as products over the whole sequence, the gates' arithmetic
 * in Java, and one-hot input read as a lookup. Its outputs and gradients equal DL4J's LSTM's; it
 * trains about twice as fast (bench/RESULTS.md). Truncated backpropagation through time is refused.
 */
public final class FusedLSTM extends BaseRecurrentLayer {

    private FusedLSTM(Builder builder) {
        super(builder);
    }

    @SuppressWarnings("unused") // for reading saved networks
    private FusedLSTM() {
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int index,
                             INDArray parameters, boolean initialize, DataType dataType) {
        LayerValidation.assertNInNOutSet("FusedLSTM", getLayerName(), index, getNIn(), getNOut());
        return GatedParamInitializer.LSTM.ready(new FusedLstmLayer(conf, dataType), conf, listeners, index, parameters, initialize);
    }

    @Override
    public ParamInitializer initializer() {
        return GatedParamInitializer.LSTM;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        throw new UnsupportedOperationException("FusedLSTM has no memory report");
    }

    /** Builds a {@link FusedLSTM}: set {@code nIn} and {@code nOut}; dropout and weight initialisation as for any layer. */
    public static final class Builder extends BaseRecurrentLayer.Builder<Builder> {
        @Override
        @SuppressWarnings("unchecked")
        public FusedLSTM build() {
            return new FusedLSTM(this);
        }
    }
}
