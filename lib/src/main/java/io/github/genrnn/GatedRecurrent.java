package io.github.genrnn;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** What the configurations of the course's recurrent layers ({@link GRU}, {@link FusedLSTM}) share: how DL4J makes their working layer. */
abstract class GatedRecurrent extends BaseRecurrentLayer {

    GatedRecurrent(BaseRecurrentLayer.Builder<?> builder) {
        super(builder);
    }

    GatedRecurrent() { // for reading saved networks
    }

    /** The working layer of this configuration. */
    abstract GatedLayer<?> newLayer(NeuralNetConfiguration conf, DataType dataType);

    @Override
    public abstract GatedParamInitializer initializer();

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int index,
                             INDArray parameters, boolean initialize, DataType dataType) {
        LayerValidation.assertNInNOutSet(getClass().getSimpleName(), getLayerName(), index, getNIn(), getNOut());
        return GatedParamInitializer.ready(newLayer(conf, dataType), initializer(), conf, listeners, index, parameters, initialize);
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no memory report");
    }
}
