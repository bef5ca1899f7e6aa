package io.github.genrnn;

import java.util.Arrays;
import org.deeplearning4j.nn.api.Layer;

/**
 * One GRU layer in plain Java: the weights of a {@link GRU} layer copied into float arrays. For an
 * input x and the state h of the step before:
 *
 * <pre>
 * z  = σ(x·Wz + h·Uz + bz)          update gate
 * r  = σ(x·Wr + h·Ur + br)          reset gate
 * n  = tanh(x·Wn + r ⊙ (h·Un) + bn) candidate state
 * h' = (1 − z) ⊙ n + z ⊙ h
 * </pre>
 *
 * The three gates sit side by side in {@code W}, {@code RW} and {@code b}, in the order z, r, n, as
 * the layer keeps them: one product x·W and one h·RW give every pre-activation of a step.
 */
public final class GruCell implements RecurrentCell {
    private final float[][] w, u;
    private final float[] b, gates, hu, h;
    private final int units;

    private GruCell(float[][] w, float[][] rw, float[] b, int units) {
        this.w = w;
        this.u = rw;
        this.b = b;
        this.units = units;
        gates = new float[3 * units];
        hu = new float[3 * units];
        h = new float[units];
    }

    /** A copy of a {@link GRU} layer's weights, with a zero state; a clear error for any other layer. */
    public static GruCell copyOf(Layer layer) {
        if (!(layer.conf().getLayer() instanceof GRU conf)) {
            throw new IllegalArgumentException("Not a GRU layer: " + layer.conf().getLayer().getClass().getSimpleName());
        }
        return new GruCell(Dense.rows(layer.getParam("W")), Dense.rows(layer.getParam("RW")), Dense.vector(layer.getParam("b")),
                (int) conf.getNOut());
    }

    @Override
    public float[] step(float[] x) {
        System.arraycopy(b, 0, gates, 0, gates.length); // z, r, n side by side: x·W + b, then h·U apart
        Dense.addProduct(x, w, gates);
        Arrays.fill(hu, 0);
        Dense.addProduct(h, u, hu);
        for (int k = 0; k < 2 * units; k++) {
            gates[k] += hu[k];
        }
        Gates.sigmoid(gates, 0, 2 * units); // each activation one loop over one array: vector instructions
        for (int k = 0; k < units; k++) {
            gates[2 * units + k] += gates[units + k] * hu[2 * units + k];
        }
        Gates.tanh(gates, 2 * units, 3 * units);
        for (int k = 0; k < units; k++) {
            h[k] = (1 - gates[k]) * gates[2 * units + k] + gates[k] * h[k];
        }
        return h;
    }

    @Override
    public void reset() {
        Arrays.fill(h, 0);
    }

    @Override
    public float[][] state() {
        return new float[][] {h};
    }
}
