package io.github.genrnn;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A gated recurrent unit layer for DL4J, which 1.0.0-M2.1 lacks; use it like {@code LSTM}:
 * {@code new GRU.Builder().nIn(84).nOut(128).build()}. For an input x and the previous state h:
 *
 * <pre>
 * z  = σ(x·Wz + h·Uz + bz)          update gate: how much of the old state to keep
 * r  = σ(x·Wr + h·Ur + br)          reset gate: how much of the old state the candidate sees
 * n  = tanh(x·Wn + r ⊙ (h·Un) + bn) candidate state
 * h' = (1 − z) ⊙ n + z ⊙ h
 * </pre>
 *
 * The reset gate scales h·Un after the product, as PyTorch and Keras's default do (PyTorch also
 * has a second bias inside that product, which this layer leaves out). The gates sit side by side
 * in {@code W} (inputs × 3h), {@code RW} (h × 3h) and {@code b} (1 × 3h), in the order z, r, n.
 * Activations are always sigmoid and tanh. Masks, {@code rnnTimeStep}, saving and stateful
 * training ({@link StreamTraining}) work as for {@link FusedLSTM}; DL4J's truncated
 * backpropagation through time does not.
 */
public final class GRU extends GatedRecurrent {

    private GRU(Builder builder) {
        super(builder);
    }

    @SuppressWarnings("unused") // for reading saved networks
    private GRU() {
    }

    @Override
    GatedLayer<?> newLayer(NeuralNetConfiguration conf, DataType dataType) {
        return new GruLayer(conf, dataType);
    }

    @Override
    public GatedParamInitializer initializer() {
        return GatedParamInitializer.GRU;
    }

    /** Builds a {@link GRU}: set {@code nIn} and {@code nOut}; dropout and weight initialisation as for any layer. */
    public static final class Builder extends BaseRecurrentLayer.Builder<Builder> {
        @Override
        @SuppressWarnings("unchecked")
        public GRU build() {
            return new GRU(this);
        }
    }
}
