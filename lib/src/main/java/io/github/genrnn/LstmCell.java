package io.github.genrnn;

import java.util.Arrays;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;

/**
 * One LSTM layer in plain Java: the weights of a DL4J {@code LSTM} layer copied into float arrays
 * and named as the equations name them. For an input x and the state (h, c) of the step before:
 *
 * <pre>
 * i  = σ(x·Wi + h·Ui + bi)       input gate: how much of the candidate to write
 * f  = σ(x·Wf + h·Uf + bf)       forget gate: how much of the old cell to keep
 * o  = σ(x·Wo + h·Uo + bo)       output gate: how much of the cell to show
 * g  = tanh(x·Wg + h·Ug + bg)    candidate cell values
 * c' = f ⊙ c + i ⊙ g
 * h' = o ⊙ tanh(c')
 * </pre>
 *
 * DL4J keeps the four gates side by side: {@code W} (inputs × 4h), {@code RW} (h × 4h) and
 * {@code b} (4h), in the order g, f, o, i; so does the course's {@link FusedLSTM}.
 */
public final class LstmCell implements RecurrentCell {
    private final float[][] wi, wf, wo, wg, ui, uf, uo, ug;
    private final float[] bi, bf, bo, bg;
    private final float[] i, f, o, g;
    private final float[] h, c;

    private LstmCell(float[][] w, float[][] rw, float[] b, int units) {
        wg = Dense.columns(w, 0, units);
        wf = Dense.columns(w, units, 2 * units);
        wo = Dense.columns(w, 2 * units, 3 * units);
        wi = Dense.columns(w, 3 * units, 4 * units);
        ug = Dense.columns(rw, 0, units);
        uf = Dense.columns(rw, units, 2 * units);
        uo = Dense.columns(rw, 2 * units, 3 * units);
        ui = Dense.columns(rw, 3 * units, 4 * units);
        bg = Arrays.copyOfRange(b, 0, units);
        bf = Arrays.copyOfRange(b, units, 2 * units);
        bo = Arrays.copyOfRange(b, 2 * units, 3 * units);
        bi = Arrays.copyOfRange(b, 3 * units, 4 * units);
        i = new float[units];
        f = new float[units];
        o = new float[units];
        g = new float[units];
        h = new float[units];
        c = new float[units];
    }

    /** A copy of the weights of a DL4J LSTM or a {@link FusedLSTM} layer, with a zero state; a clear error for any other layer. */
    public static LstmCell copyOf(Layer layer) {
        var conf = layer.conf().getLayer();
        if (conf instanceof LSTM lstm) {
            if (!(lstm.getActivationFn() instanceof ActivationTanH) || !(lstm.getGateActivationFn() instanceof ActivationSigmoid)) {
                throw new IllegalArgumentException("Only LSTM layers with tanh activation and sigmoid gates can be copied, not "
                        + lstm.getActivationFn() + " with " + lstm.getGateActivationFn() + " gates");
            }
        } else if (!(conf instanceof FusedLSTM)) {
            throw new IllegalArgumentException("Not an LSTM layer: " + conf.getClass().getSimpleName());
        }
        return new LstmCell(Dense.rows(layer.getParam("W")), Dense.rows(layer.getParam("RW")), Dense.vector(layer.getParam("b")),
                (int) ((FeedForwardLayer) conf).getNOut());
    }

    @Override
    public float[] step(float[] x) {
        gate(x, wi, ui, bi, i);
        gate(x, wf, uf, bf, f);
        gate(x, wo, uo, bo, o);
        gate(x, wg, ug, bg, g);
        for (int k = 0; k < h.length; k++) {
            i[k] = Dense.sigmoid(i[k]);
            f[k] = Dense.sigmoid(f[k]);
            o[k] = Dense.sigmoid(o[k]);
            g[k] = Dense.tanh(g[k]);
            c[k] = f[k] * c[k] + i[k] * g[k];
            h[k] = o[k] * Dense.tanh(c[k]);
        }
        return h;
    }

    @Override
    public void reset() {
        Arrays.fill(h, 0);
        Arrays.fill(c, 0);
    }

    @Override
    public float[][] state() {
        return new float[][] {h, c};
    }

    /** A gate's pre-activation: x·W + h·U + b, with h still the previous hidden state. */
    private void gate(float[] x, float[][] w, float[][] u, float[] b, float[] out) {
        System.arraycopy(b, 0, out, 0, out.length);
        Dense.addProduct(x, w, out);
        Dense.addProduct(h, u, out);
    }
}
