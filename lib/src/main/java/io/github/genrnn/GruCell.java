package io.github.genrnn;

import java.util.Arrays;
import org.deeplearning4j.nn.api.Layer;

/**
 * One GRU layer in plain Java: the weights of a {@link GRU} layer copied into float arrays and
 * named as the equations name them. For an input x and the state h of the step before:
 *
 * <pre>
 * z  = σ(x·Wz + h·Uz + bz)          update gate
 * r  = σ(x·Wr + h·Ur + br)          reset gate
 * n  = tanh(x·Wn + r ⊙ (h·Un) + bn) candidate state
 * h' = (1 − z) ⊙ n + z ⊙ h
 * </pre>
 */
public final class GruCell implements RecurrentCell {
    private final float[][] wz, wr, wn, uz, ur, un;
    private final float[] bz, br, bn;
    private final float[] z, r, n, hun, h;

    private GruCell(float[][] w, float[][] rw, float[] b, int units) {
        wz = Dense.columns(w, 0, units);
        wr = Dense.columns(w, units, 2 * units);
        wn = Dense.columns(w, 2 * units, 3 * units);
        uz = Dense.columns(rw, 0, units);
        ur = Dense.columns(rw, units, 2 * units);
        un = Dense.columns(rw, 2 * units, 3 * units);
        bz = Arrays.copyOfRange(b, 0, units);
        br = Arrays.copyOfRange(b, units, 2 * units);
        bn = Arrays.copyOfRange(b, 2 * units, 3 * units);
        z = new float[units];
        r = new float[units];
        n = new float[units];
        hun = new float[units];
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
        System.arraycopy(bz, 0, z, 0, z.length);
        Dense.addProduct(x, wz, z);
        Dense.addProduct(h, uz, z);
        System.arraycopy(br, 0, r, 0, r.length);
        Dense.addProduct(x, wr, r);
        Dense.addProduct(h, ur, r);
        System.arraycopy(bn, 0, n, 0, n.length);
        Dense.addProduct(x, wn, n);
        Arrays.fill(hun, 0);
        Dense.addProduct(h, un, hun);
        for (int k = 0; k < h.length; k++) {
            float zk = Dense.sigmoid(z[k]);
            float nk = Dense.tanh(n[k] + Dense.sigmoid(r[k]) * hun[k]);
            h[k] = (1 - zk) * nk + zk * h[k];
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
