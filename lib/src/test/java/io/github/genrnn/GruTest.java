package io.github.genrnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
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
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class GruTest {
    private static final int IN = 5, UNITS = 4, BATCH = 3, STEPS = 6;

    /** One or two GRU layers and a softmax output, in double precision, weights from N(0, 1). */
    private static MultiLayerNetwork network(int layers, DataType type) {
        var builder = new NeuralNetConfiguration.Builder().dataType(type).seed(12).updater(new NoOp())
                .weightInit(WeightInit.NORMAL).list();
        for (int i = 0; i < layers; i++) {
            builder.layer(new GRU.Builder().nIn(i == 0 ? IN : UNITS).nOut(UNITS).build());
        }
        builder.layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                .nIn(UNITS).nOut(IN).build());
        MultiLayerNetwork net = new MultiLayerNetwork(builder.build());
        net.init();
        Nd4j.getRandom().setSeed(layers);
        net.getLayer(0).setParam("b", Nd4j.randn(type, 1, 3 * UNITS));
        return net;
    }

    private static INDArray input(DataType type) {
        Nd4j.getRandom().setSeed(5);
        return Nd4j.randn(type, BATCH, IN, STEPS);
    }

    /** One-hot input, as the generators read it: the layer looks rows of W up instead of multiplying. */
    private static INDArray oneHot(DataType type) {
        INDArray x = Nd4j.zeros(type, BATCH, IN, STEPS);
        for (int b = 0; b < BATCH; b++) {
            for (int t = 0; t < STEPS; t++) {
                x.putScalar(b, (b * 3 + t * 2) % IN, t, 1);
            }
        }
        return x;
    }

    /** Sequences of 6, 4 and 1 steps. */
    private static INDArray mask(DataType type) {
        INDArray mask = Nd4j.zeros(type, BATCH, STEPS);
        mask.get(point(0), all()).assign(1);
        mask.get(point(1), interval(0, 4)).assign(1);
        mask.get(point(2), point(0)).assign(1);
        return mask;
    }

    @Test
    void gradientsPassDl4jsGradientCheckWithAndWithoutMasks() {
        DataType defaultType = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            checkGradients();
        } finally {
            Nd4j.setDefaultDataTypes(defaultType, defaultType);
        }
    }

    private static void checkGradients() {
        for (int layers = 1; layers <= 2; layers++) {
            INDArray labels = Nd4j.zeros(DataType.DOUBLE, BATCH, IN, STEPS);
            for (int b = 0; b < BATCH; b++) {
                for (int t = 0; t < STEPS; t++) {
                    labels.putScalar(b, (b + 2 * t) % IN, t, 1);
                }
            }
            for (INDArray mask : new INDArray[]{null, mask(DataType.DOUBLE)}) {
                for (INDArray x : new INDArray[]{input(DataType.DOUBLE), oneHot(DataType.DOUBLE)}) {
                    boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(network(layers, DataType.DOUBLE))
                            .input(x).labels(labels).inputMask(mask).labelMask(mask)
                            .epsilon(1e-6).maxRelError(1e-4).minAbsoluteError(1e-8));
                    assertTrue(ok, layers + " layer(s), mask " + (mask != null) + ", one-hot " + (x.sumNumber().intValue() == BATCH * STEPS));
                }
            }
        }
    }

    /** The equations of the GRU's Javadoc in double precision, step by step, from the layer's own W, RW and b. */
    private static double[][][] byHand(MultiLayerNetwork net, INDArray x) {
        double[][] w = net.getLayer(0).getParam("W").toDoubleMatrix(), rw = net.getLayer(0).getParam("RW").toDoubleMatrix();
        double[] b = net.getLayer(0).getParam("b").toDoubleVector();
        double[][][] h = new double[BATCH][STEPS][UNITS];
        for (int s = 0; s < BATCH; s++) {
            double[] previous = new double[UNITS];
            for (int t = 0; t < STEPS; t++) {
                for (int k = 0; k < UNITS; k++) {
                    double[] xw = new double[3], hu = new double[3];
                    for (int gate = 0; gate < 3; gate++) {
                        int column = gate * UNITS + k;
                        for (int i = 0; i < IN; i++) {
                            xw[gate] += x.getDouble(s, i, t) * w[i][column];
                        }
                        for (int j = 0; j < UNITS; j++) {
                            hu[gate] += previous[j] * rw[j][column];
                        }
                    }
                    double z = sigmoid(xw[0] + hu[0] + b[k]);
                    double r = sigmoid(xw[1] + hu[1] + b[UNITS + k]);
                    double n = Math.tanh(xw[2] + r * hu[2] + b[2 * UNITS + k]);
                    h[s][t][k] = (1 - z) * n + z * previous[k];
                }
                previous = h[s][t];
            }
        }
        return h;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static INDArray gruOutput(MultiLayerNetwork net, INDArray x) {
        return net.feedForward(x, false).get(1);
    }

    @Test
    void outputsEqualTheEquationsComputedByHand() {
        MultiLayerNetwork net = network(1, DataType.DOUBLE);
        INDArray x = input(DataType.DOUBLE), h = gruOutput(net, x);
        double[][][] expected = byHand(net, x);
        for (int s = 0; s < BATCH; s++) {
            for (int t = 0; t < STEPS; t++) {
                assertArrayEquals(expected[s][t], h.get(point(s), all(), point(t)).toDoubleVector(), 1e-12);
            }
        }
    }

    @Test
    void stepByStepEqualsTheWholeSequence() {
        for (int layers = 1; layers <= 2; layers++) {
            MultiLayerNetwork net = network(layers, DataType.FLOAT);
            INDArray x = input(DataType.FLOAT), whole = net.output(x);
            net.rnnClearPreviousState();
            for (int t = 0; t < STEPS; t++) {
                INDArray step = net.rnnTimeStep(x.get(all(), all(), interval(t, t + 1)));
                assertArrayEquals(whole.get(all(), all(), point(t)).dup().reshape(BATCH * IN).toFloatVector(),
                        step.reshape(BATCH * IN).toFloatVector(),
                        1e-6f, "step " + t);
            }
        }
    }

    @Test
    void maskedStepsAreZeroAndTheRestEqualsTheShortSequence() {
        MultiLayerNetwork net = network(1, DataType.DOUBLE);
        INDArray x = input(DataType.DOUBLE);
        net.setLayerMaskArrays(mask(DataType.DOUBLE), null);
        INDArray masked = gruOutput(net, x);
        net.clearLayerMaskArrays();
        INDArray second = gruOutput(net, x.get(interval(1, 2), all(), interval(0, 4)));
        assertEquals(0, masked.get(point(1), all(), interval(4, STEPS)).norm1Number().doubleValue());
        assertEquals(0, masked.get(point(2), all(), interval(1, STEPS)).norm1Number().doubleValue());
        assertArrayEquals(second.reshape(UNITS * 4).toDoubleVector(),
                masked.get(interval(1, 2), all(), interval(0, 4)).dup().reshape(UNITS * 4).toDoubleVector(), 1e-12);
    }

    @Test
    void aSavedNetworkIsRestoredWithItsLayersAndWeights() throws Exception {
        MultiLayerNetwork net = network(2, DataType.FLOAT);
        net.fit(new DataSet(input(DataType.FLOAT), net.output(input(DataType.FLOAT)).mul(0.9)));
        var bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, bytes, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()), true);
        assertTrue(restored.getLayerWiseConfigurations().getConf(1).getLayer() instanceof GRU);
        assertEquals(net.params(), restored.params());
        assertEquals(net.output(input(DataType.FLOAT)), restored.output(input(DataType.FLOAT)));
    }

    @Test
    void truncatedBackpropagationIsRefusedWithAdvice() {
        var conf = new NeuralNetConfiguration.Builder().list()
                .layer(new GRU.Builder().nIn(IN).nOut(UNITS).build())
                .layer(new RnnOutputLayer.Builder().activation(Activation.SOFTMAX).nIn(UNITS).nOut(IN).build())
                .backpropType(BackpropType.TruncatedBPTT).tBPTTLength(2).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        var e = assertThrows(UnsupportedOperationException.class,
                () -> net.fit(new DataSet(input(DataType.FLOAT), net.output(input(DataType.FLOAT)))));
        assertTrue(e.getMessage().contains("BackpropType.Standard"), e.getMessage());
    }
}
