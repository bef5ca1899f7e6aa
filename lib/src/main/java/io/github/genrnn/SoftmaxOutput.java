package io.github.genrnn;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * DL4J's {@code RnnOutputLayer} with softmax and multi-class cross-entropy, the same layer with the
 * same parameters, whose training step is the course's own ({@link SoftmaxOutputLayer}): one
 * product, the softmax, loss and its gradient in Java, and the loss kept for the score.
 * {@code SoftmaxOutput.of(128, 84)} is {@code new RnnOutputLayer.Builder(MCXENT).activation(SOFTMAX)
 * .nIn(128).nOut(84).dataFormat(NCW).build()}.
 */
public final class SoftmaxOutput extends RnnOutputLayer {

    @SuppressWarnings("unused") // for reading saved networks
    private SoftmaxOutput() {
    }

    /** The output layer from {@code inputs} units to {@code symbols} probabilities at every step. */
    public static SoftmaxOutput of(int inputs, int symbols) {
        RnnOutputLayer dl4j = new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                .nIn(inputs).nOut(symbols)
                .dataFormat(RNNFormat.NCW) // unset, DL4J reads the labels as [batch, time, V] when the input is an embedding's
                .build();
        SoftmaxOutput layer = new SoftmaxOutput();
        try { // the builder's defaults, field by field: RnnOutputLayer's constructor from its builder is private
            for (Class<?> type = RnnOutputLayer.class; type != Object.class; type = type.getSuperclass()) {
                for (Field field : type.getDeclaredFields()) {
                    if (!Modifier.isStatic(field.getModifiers())) {
                        field.setAccessible(true);
                        field.set(layer, field.get(dl4j));
                    }
                }
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("Cannot copy DL4J's RnnOutputLayer configuration", e);
        }
        return layer;
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int index,
                             INDArray parameters, boolean initialize, DataType dataType) {
        LayerValidation.assertNInNOutSet("SoftmaxOutput", getLayerName(), index, getNIn(), getNOut());
        return GatedParamInitializer.ready(new SoftmaxOutputLayer(conf, dataType), initializer(), conf, listeners, index,
                parameters, initialize);
    }
}
