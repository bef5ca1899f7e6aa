package io.github.genrnn;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * DL4J's LSTM (tanh, sigmoid gates, the same parameters W, RW and b in the same layout and the
 * same initialisation) computed in fewer, larger steps: one matrix product per time step forward
 * and one backward, the weight gradients as products over the whole sequence, the gates' arithmetic
 * in Java, and one-hot input read as a lookup. Its outputs and gradients equal DL4J's LSTM's; it
 * trains more than twice as fast (bench/RESULTS.md). Truncated backpropagation through time is refused.
 */
public final class FusedLSTM extends GatedRecurrent {

    private FusedLSTM(Builder builder) {
        super(builder);
    }

    @SuppressWarnings("unused") // for reading saved networks
    private FusedLSTM() {
    }

    @Override
    GatedLayer<?> newLayer(NeuralNetConfiguration conf, DataType dataType) {
        return new FusedLstmLayer(conf, dataType);
    }

    @Override
    public GatedParamInitializer initializer() {
        return GatedParamInitializer.LSTM;
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
