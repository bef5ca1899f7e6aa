package io.github.genrnn;

import java.util.Arrays;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;

/**
 * One LSTM layer in plain Java: the weights of a DL4J {@code LSTM} layer copied into float arrays.
 * For an input x and the state (h, c) of the step before:
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
 * {@code b} (4h), in the order g, f, o, i; so do the course's {@link FusedLSTM} and this cell, whose
 * step is one product x·W and one h·RW for all four, then σ and tanh each over a range of them.
 */
public final class LstmCell implements RecurrentCell {
    private final float[][] w, u;
    private final float[] b, gates, h, c, tanhCell;
    private final int units;

    private LstmCell(float[][] w, float[][] rw, float[] b, int units) {
        this.w = w;
        this.u = rw;
        this.b = b;
        this.units = units;
        gates = new float[4 * units];
        h = new float[units];
        c = new float[units];
        tanhCell = new float[units];
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
        System.arraycopy(b, 0, gates, 0, gates.length); // g, f, o, i side by side
        Dense.addProduct(x, w, gates);
        Dense.addProduct(h, u, gates);
        Gates.tanh(gates, 0, units);
        Gates.sigmoid(gates, units, 4 * units);
        for (int k = 0; k < units; k++) {
            c[k] = gates[units + k] * c[k] + gates[3 * units + k] * gates[k];
            tanhCell[k] = c[k];
        }
        Gates.tanh(tanhCell, 0, units);
        for (int k = 0; k < units; k++) {
            h[k] = gates[2 * units + k] * tanhCell[k];
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
}
