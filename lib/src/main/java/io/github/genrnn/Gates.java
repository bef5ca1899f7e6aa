package io.github.genrnn;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * σ and tanh for a layer's gates: exact in double precision; in float precision from Cephes' expf
 * (range reduction by ln 2 and a degree-5 polynomial, about 1e-7 relative error), several times
 * faster than {@code Math.exp}, which the gates call five times per unit and step.
 */
final class Gates {
    private final boolean exact;

    Gates(DataType type) {
        this.exact = type == DataType.DOUBLE;
    }

    double sigmoid(double x) {
        return 1 / (1 + exp(-x));
    }

    double tanh(double x) {
        return exact ? Math.tanh(x) : 2 / (1 + exp(-2 * x)) - 1;
    }

    private double exp(double x) {
        return exact ? Math.exp(x) : expf((float) x);
    }

    static float expf(float x) {
        x = Math.max(-87.3f, Math.min(88.3f, x));
        float n = (float) Math.floor(x * 1.44269504088896341f + 0.5f);
        float r = x - n * 0.693359375f + n * 2.12194440e-4f;
        float p = ((((1.9875691500e-4f * r + 1.3981999507e-3f) * r + 8.3334519073e-3f) * r + 4.1665795894e-2f) * r
                + 1.6666665459e-1f) * r + 5.0000001201e-1f;
        return (p * r * r + r + 1) * Float.intBitsToFloat(((int) n + 127) << 23);
    }
}
