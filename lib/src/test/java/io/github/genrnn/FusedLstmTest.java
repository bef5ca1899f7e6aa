package io.github.genrnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
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

class FusedLstmTest {
    static final int IN = 6, UNITS = 5, BATCH = 3, STEPS = 7;

    /** DL4J's LSTM or the fused one, 1 or 2 layers and a softmax output, with the same seed. */
    private static MultiLayerNetwork network(boolean fused, int layers, DataType type, boolean adam) {
        var builder = new NeuralNetConfiguration.Builder().dataType(type).seed(12).weightInit(WeightInit.XAVIER)
                .updater(adam ? new Adam(0.05) : new NoOp())
                .gradientNormalization(GradientNormalization.ClipElementWiseAbsoluteValue).gradientNormalizationThreshold(5).list();
        for (int i = 0; i < layers; i++) {
            int in = i == 0 ? IN : UNITS;
            builder.layer(fused ? new FusedLSTM.Builder().nIn(in).nOut(UNITS).build()
                    : new LSTM.Builder().nIn(in).nOut(UNITS).activation(Activation.TANH).build());
        }
        builder.layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                .nIn(UNITS).nOut(IN).build());
        MultiLayerNetwork net = new MultiLayerNetwork(builder.build());
        net.init();
        return net;
    }

    /** Random input, or one-hot input as the generators read it. */
    static INDArray input(boolean oneHot, DataType type) {
        Nd4j.getRandom().setSeed(5);
        if (!oneHot) {
            return Nd4j.randn(type, BATCH, IN, STEPS);
        }
        INDArray x = Nd4j.zeros(type, BATCH, IN, STEPS);
        for (int b = 0; b < BATCH; b++) {
            for (int t = 0; t < STEPS; t++) {
                x.putScalar(b, (b * 5 + t * 7) % IN, t, 1);
            }
        }
        return x;
    }

    private static INDArray labels(DataType type) {
        INDArray labels = Nd4j.zeros(type, BATCH, IN, STEPS);
        for (int b = 0; b < BATCH; b++) {
            for (int t = 0; t < STEPS; t++) {
                labels.putScalar(b, (b + 2 * t) % IN, t, 1);
            }
        }
        return labels;
    }

    /** Sequences of 7, 5 and 2 steps. */
    static INDArray mask(DataType type) {
        INDArray mask = Nd4j.ones(type, BATCH, STEPS);
        mask.get(interval(1, 2), interval(5, STEPS)).assign(0);
        mask.get(interval(2, 3), interval(2, STEPS)).assign(0);
        return mask;
    }

    @Test
    void startsWithDl4jsInitialWeights() {
        assertEquals(network(false, 2, DataType.FLOAT, true).params(), network(true, 2, DataType.FLOAT, true).params());
    }

    @Test
    void outputsGradientsAndScoresEqualDl4jsLstm() {
        for (int layers = 1; layers <= 2; layers++) {
            for (boolean oneHot : new boolean[] {false, true}) {
                MultiLayerNetwork dl4j = network(false, layers, DataType.FLOAT, false), fused = network(true, layers, DataType.FLOAT, false);
                Nd4j.getRandom().setSeed(layers);
                dl4j.setParams(Nd4j.randn(DataType.FLOAT, 1, dl4j.numParams()).muli(0.5));
                fused.setParams(dl4j.params().dup());
                INDArray x = input(oneHot, DataType.FLOAT), mask = mask(DataType.FLOAT);
                String where = layers + " layer(s), one-hot " + oneHot;
                assertArrayEquals(dl4j.output(x, false, mask, mask).data().asFloat(), fused.output(x, false, mask, mask).data().asFloat(),
                        1e-6f, where);
                for (MultiLayerNetwork net : new MultiLayerNetwork[] {dl4j, fused}) {
                    net.setInput(x);
                    net.setLabels(labels(DataType.FLOAT));
                    net.setLayerMaskArrays(mask, mask);
                    net.computeGradientAndScore();
                }
                assertEquals(dl4j.score(), fused.score(), 1e-5, where);
                assertArrayEquals(dl4j.gradient().gradient().data().asFloat(), fused.gradient().gradient().data().asFloat(), 1e-5f, where);
            }
        }
    }

    @Test
    void trainingStaysWithDl4jsLstm() {
        MultiLayerNetwork dl4j = network(false, 2, DataType.FLOAT, true), fused = network(true, 2, DataType.FLOAT, true);
        DataSet data = new DataSet(input(true, DataType.FLOAT), labels(DataType.FLOAT), mask(DataType.FLOAT), mask(DataType.FLOAT));
        for (int i = 0; i < 20; i++) {
            dl4j.fit(data);
            fused.fit(data);
        }
        assertEquals(dl4j.score(), fused.score(), 1e-4);
        assertArrayEquals(dl4j.params().data().asFloat(), fused.params().data().asFloat(), 1e-4f);
    }

    @Test
    void gradientsPassDl4jsGradientCheck() {
        DataType defaultType = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            for (int layers = 1; layers <= 2; layers++) {
                for (INDArray mask : new INDArray[] {null, mask(DataType.DOUBLE)}) {
                    boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig()
                            .net(network(true, layers, DataType.DOUBLE, false)).input(input(false, DataType.DOUBLE))
                            .labels(labels(DataType.DOUBLE)).inputMask(mask).labelMask(mask)
                            .epsilon(1e-6).maxRelError(1e-4).minAbsoluteError(1e-8));
                    assertTrue(ok, layers + " layer(s), mask " + (mask != null));
                }
            }
        } finally {
            Nd4j.setDefaultDataTypes(defaultType, defaultType);
        }
    }

    @Test
    void stepByStepEqualsTheWholeSequence() {
        MultiLayerNetwork net = network(true, 2, DataType.FLOAT, true);
        INDArray x = input(true, DataType.FLOAT), whole = net.output(x);
        net.rnnClearPreviousState();
        for (int t = 0; t < STEPS; t++) {
            INDArray step = net.rnnTimeStep(x.get(all(), all(), interval(t, t + 1)));
            assertArrayEquals(whole.get(all(), all(), point(t)).dup().data().asFloat(), step.reshape(BATCH * IN).dup('c').data().asFloat(),
                    1e-6f, "step " + t);
        }
    }

    @Test
    void aSavedNetworkIsRestoredWithItsLayers() throws Exception {
        MultiLayerNetwork net = network(true, 2, DataType.FLOAT, true);
        var bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, bytes, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()), true);
        assertTrue(restored.getLayerWiseConfigurations().getConf(1).getLayer() instanceof FusedLSTM);
        assertEquals(net.output(input(true, DataType.FLOAT)), restored.output(input(true, DataType.FLOAT)));
    }
}
