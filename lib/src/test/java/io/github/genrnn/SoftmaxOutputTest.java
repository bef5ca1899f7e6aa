package io.github.genrnn;

import static io.github.genrnn.FusedLstmTest.input;
import static io.github.genrnn.FusedLstmTest.mask;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class SoftmaxOutputTest {
    private static final int IN = FusedLstmTest.IN, UNITS = FusedLstmTest.UNITS, BATCH = FusedLstmTest.BATCH, STEPS = FusedLstmTest.STEPS;

    /** A fused LSTM or GRU and DL4J's RnnOutputLayer or the course's SoftmaxOutput, with the same seed. */
    private static MultiLayerNetwork network(boolean course, boolean gru, DataType type, boolean adam) {
        var builder = new NeuralNetConfiguration.Builder().dataType(type).seed(12).weightInit(WeightInit.XAVIER)
                .updater(adam ? new Adam(0.05) : new NoOp())
                .gradientNormalization(GradientNormalization.ClipElementWiseAbsoluteValue).gradientNormalizationThreshold(5).list()
                .layer(gru ? new GRU.Builder().nIn(IN).nOut(UNITS).build() : new FusedLSTM.Builder().nIn(IN).nOut(UNITS).build())
                .layer(course ? SoftmaxOutput.of(UNITS, IN) : new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).nIn(UNITS).nOut(IN).dataFormat(RNNFormat.NCW).build());
        MultiLayerNetwork net = new MultiLayerNetwork(builder.build());
        net.init();
        return net;
    }

    private static INDArray labels(DataType type, INDArray mask) {
        INDArray labels = Nd4j.zeros(type, BATCH, IN, STEPS);
        for (int b = 0; b < BATCH; b++) {
            for (int t = 0; t < STEPS; t++) {
                if (mask == null || mask.getDouble(b, t) != 0) { // padding has no target, as in SequenceBatch
                    labels.putScalar(b, (b + 2 * t) % IN, t, 1);
                }
            }
        }
        return labels;
    }

    @Test
    void outputsScoresAndGradientsEqualDl4jsOutputLayer() {
        for (boolean gru : new boolean[] {false, true}) {
            for (INDArray mask : new INDArray[] {null, mask(DataType.FLOAT)}) {
                MultiLayerNetwork dl4j = network(false, gru, DataType.FLOAT, false), course = network(true, gru, DataType.FLOAT, false);
                assertEquals(dl4j.params(), course.params(), "the same initial weights");
                INDArray x = input(true, DataType.FLOAT), y = labels(DataType.FLOAT, mask);
                String where = (gru ? "GRU" : "LSTM") + ", mask " + (mask != null);
                assertArrayEquals(values(dl4j.output(x, false, mask, mask)), values(course.output(x, false, mask, mask)), 1e-6f, where);
                for (MultiLayerNetwork net : new MultiLayerNetwork[] {dl4j, course}) {
                    net.setInput(x);
                    net.setLabels(y);
                    net.setLayerMaskArrays(mask, mask);
                    net.computeGradientAndScore();
                }
                assertEquals(dl4j.score(), course.score(), 1e-5, where);
                assertArrayEquals(dl4j.gradient().gradient().data().asFloat(), course.gradient().gradient().data().asFloat(), 1e-5f, where);
                assertEquals(dl4j.score(new DataSet(x, y, mask, mask)), course.score(new DataSet(x, y, mask, mask)), 1e-5, where);
                assertArrayEquals(values(dl4j.rnnTimeStep(x)), values(course.rnnTimeStep(x)), 1e-6f, where);
            }
        }
    }

    /** The elements in their logical order, whatever the array's layout. */
    private static float[] values(INDArray array) {
        return array.dup('c').data().asFloat();
    }

    @Test
    void trainingStaysWithDl4jsOutputLayer() {
        MultiLayerNetwork dl4j = network(false, false, DataType.FLOAT, true), course = network(true, false, DataType.FLOAT, true);
        INDArray mask = mask(DataType.FLOAT);
        DataSet data = new DataSet(input(true, DataType.FLOAT), labels(DataType.FLOAT, mask), mask, mask);
        for (int i = 0; i < 20; i++) {
            dl4j.fit(data);
            course.fit(data);
            assertEquals(dl4j.score(), course.score(), 1e-4, "step " + i);
        }
        assertArrayEquals(dl4j.params().data().asFloat(), course.params().data().asFloat(), 1e-4f);
    }

    @Test
    void gradientsPassDl4jsGradientCheck() {
        DataType defaultType = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            for (INDArray mask : new INDArray[] {null, mask(DataType.DOUBLE)}) {
                boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig()
                        .net(network(true, false, DataType.DOUBLE, false)).input(input(true, DataType.DOUBLE))
                        .labels(labels(DataType.DOUBLE, mask)).inputMask(mask).labelMask(mask)
                        .epsilon(1e-6).maxRelError(1e-4).minAbsoluteError(1e-8));
                assertTrue(ok, "mask " + (mask != null));
            }
        } finally {
            Nd4j.setDefaultDataTypes(defaultType, defaultType);
        }
    }

    @Test
    void aSavedNetworkIsRestoredWithItsLayer() throws Exception {
        MultiLayerNetwork net = network(true, false, DataType.FLOAT, true);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, bytes, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()), true);
        assertTrue(restored.getLayer(1).conf().getLayer() instanceof SoftmaxOutput);
        assertEquals(net.output(input(true, DataType.FLOAT)), restored.output(input(true, DataType.FLOAT)));
    }
}
