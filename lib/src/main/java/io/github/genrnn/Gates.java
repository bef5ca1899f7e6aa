package io.github.genrnn;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * σ and tanh over a range of an array, in place: exact in double precision; in float precision
 * from a rational approximation of tanh (the one Eigen and XLA use, within 3e-7 of tanh), with
 * σ(x) = (1 + tanh(x/2)) / 2. Each is one loop over one array that the JIT compiles to vector
 * instructions, about ten times faster than {@code Math.exp} element by element.
 */
final class Gates {
    /** The ratio's coefficients, highest power first (P of x's odd polynomial over x, Q of the even one), and its range. */
    private static final double P6 = -2.76076847742355e-16, P5 = 2.00018790482477e-13, P4 = -8.60467152213735e-11,
            P3 = 5.12229709037114e-08, P2 = 1.48572235717979e-05, P1 = 6.37261928875436e-04, P0 = 4.89352455891786e-03,
            Q3 = 1.19825839466702e-06, Q2 = 1.18534705686654e-04, Q1 = 2.26843463243900e-03, Q0 = 4.89352518554385e-03,
            CLAMP = 7.99881172180175781;
    private final boolean exact;

    Gates(DataType type) {
        this.exact = type == DataType.DOUBLE;
    }

    /** values[from..to) ← tanh(values[from..to)). */
    void tanh(double[] values, int from, int to) {
        if (exact) {
            for (int j = from; j < to; j++) {
                values[j] = Math.tanh(values[j]);
            }
        } else {
            for (int j = from; j < to; j++) {
                values[j] = rationalTanh(values[j]);
            }
        }
    }

    /** values[from..to) ← σ(values[from..to)). */
    void sigmoid(double[] values, int from, int to) {
        if (exact) {
            for (int j = from; j < to; j++) {
                values[j] = 1 / (1 + Math.exp(-values[j]));
            }
        } else {
            for (int j = from; j < to; j++) {
                values[j] = 0.5 + 0.5 * rationalTanh(0.5 * values[j]);
            }
        }
    }

    /** values[from..to) ← tanh(values[from..to)), in float precision (the plain-Java engine's cells). */
    static void tanh(float[] values, int from, int to) {
        for (int j = from; j < to; j++) {
            values[j] = rationalTanh(values[j]);
        }
    }

    /** values[from..to) ← σ(values[from..to)), in float precision. */
    static void sigmoid(float[] values, int from, int to) {
        for (int j = from; j < to; j++) {
            values[j] = 0.5f + 0.5f * rationalTanh(0.5f * values[j]);
        }
    }

    /** The same ratio as {@link #rationalTanh(double)}, computed in float: eight lanes to a vector instruction instead of four. */
    private static float rationalTanh(float value) {
        float x = Math.max((float) -CLAMP, Math.min((float) CLAMP, value)), s = x * x;
        float p = s * (float) P6 + (float) P5;
        p = s * p + (float) P4;
        p = s * p + (float) P3;
        p = s * p + (float) P2;
        p = s * p + (float) P1;
        p = s * p + (float) P0;
        float q = s * (float) Q3 + (float) Q2;
        q = s * q + (float) Q1;
        q = s * q + (float) Q0;
        return x * p / q;
    }

    /** tanh as a ratio of an odd polynomial of degree 13 and an even one of degree 6, on [-7.9988, 7.9988]. */
    private static double rationalTanh(double value) {
        double x = Math.max(-CLAMP, Math.min(CLAMP, value)), s = x * x;
        double p = s * P6 + P5;
        p = s * p + P4;
        p = s * p + P3;
        p = s * p + P2;
        p = s * p + P1;
        p = s * p + P0;
        double q = s * Q3 + Q2;
        q = s * q + Q1;
        q = s * q + Q0;
        return x * p / q;
    }
}
