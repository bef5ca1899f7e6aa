package io.github.genrnn;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * σ and tanh over a range of an array, in place: exact in double precision; in float precision
 * from a rational approximation of tanh (the one Eigen and XLA use, within 3e-7 of tanh), with
 * σ(x) = (1 + tanh(x/2)) / 2. Each is one loop over one array that the JIT compiles to vector
 * instructions, about ten times faster than {@code Math.exp} element by element.
 */
final class Gates {
    private static final double CLAMP = 7.99881172180175781;
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
        float p = s * -2.76076847742355e-16f + 2.00018790482477e-13f;
        p = s * p - 8.60467152213735e-11f;
        p = s * p + 5.12229709037114e-08f;
        p = s * p + 1.48572235717979e-05f;
        p = s * p + 6.37261928875436e-04f;
        p = s * p + 4.89352455891786e-03f;
        float q = s * 1.19825839466702e-06f + 1.18534705686654e-04f;
        q = s * q + 2.26843463243900e-03f;
        q = s * q + 4.89352518554385e-03f;
        return x * p / q;
    }

    /** tanh as a ratio of an odd polynomial of degree 13 and an even one of degree 6, on [-7.9988, 7.9988]. */
    private static double rationalTanh(double value) {
        double x = Math.max(-CLAMP, Math.min(CLAMP, value)), s = x * x;
        double p = s * -2.76076847742355e-16 + 2.00018790482477e-13;
        p = s * p - 8.60467152213735e-11;
        p = s * p + 5.12229709037114e-08;
        p = s * p + 1.48572235717979e-05;
        p = s * p + 6.37261928875436e-04;
        p = s * p + 4.89352455891786e-03;
        double q = s * 1.19825839466702e-06 + 1.18534705686654e-04;
        q = s * q + 2.26843463243900e-03;
        q = s * q + 4.89352518554385e-03;
        return x * p / q;
    }
}
