package io.github.genrnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class GatesTest {
    /** -30 to 30 in steps of 0.001: the saturated tails, the clamp at ±7.9988 and everything between. */
    private static final double[] X = IntStream.rangeClosed(-30_000, 30_000).mapToDouble(i -> i / 1000.0).toArray();

    @Test
    void floatPrecisionStaysWithinAFloatsRoundingOfTheExactFunctions() {
        double[] tanh = X.clone(), sigmoid = X.clone();
        Gates gates = new Gates(DataType.FLOAT);
        gates.tanh(tanh, 0, X.length);
        gates.sigmoid(sigmoid, 0, X.length);
        for (int i = 0; i < X.length; i++) {
            assertEquals(Math.tanh(X[i]), tanh[i], 3e-7, "tanh " + X[i]);
            assertEquals(1 / (1 + Math.exp(-X[i])), sigmoid[i], 2e-7, "σ " + X[i]);
        }
    }

    @Test
    void floatArraysOfThePlainJavaEngineStayWithinAFewFloatRoundings() {
        float[] tanh = new float[X.length], sigmoid = new float[X.length];
        for (int i = 0; i < X.length; i++) {
            tanh[i] = sigmoid[i] = (float) X[i];
        }
        Gates.tanh(tanh, 0, X.length);
        Gates.sigmoid(sigmoid, 0, X.length);
        for (int i = 0; i < X.length; i++) {
            double x = (float) X[i];
            assertEquals(Math.tanh(x), tanh[i], 3e-7, "tanh " + x);
            assertEquals(1 / (1 + Math.exp(-x)), sigmoid[i], 3e-7, "σ " + x);
        }
    }

    @Test
    void doublePrecisionIsExactAndOnlyTheRangeAskedForChanges() {
        double[] values = X.clone();
        new Gates(DataType.DOUBLE).tanh(values, 10, 20);
        double[] expected = X.clone();
        for (int i = 10; i < 20; i++) {
            expected[i] = Math.tanh(X[i]);
        }
        assertArrayEquals(expected, values, 0.0);
        new Gates(DataType.DOUBLE).sigmoid(values, 0, 1);
        assertEquals(1 / (1 + Math.exp(30)), values[0], 0.0);
    }
}
