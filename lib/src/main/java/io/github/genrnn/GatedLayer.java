package io.github.genrnn;

import java.util.Map;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.BaseRecurrentLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** What the course's recurrent layers ({@link GruLayer}, {@link FusedLstmLayer}) share beyond their equations. */
abstract class GatedLayer<C extends org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer> extends BaseRecurrentLayer<C> {

    GatedLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray rnnTimeStep(INDArray input, LayerWorkspaceMgr workspaces) {
        setInput(input, workspaces);
        return activateFrom(stateMap, true, false, workspaces);
    }

    @Override
    public INDArray rnnActivateUsingStoredState(INDArray input, boolean training, boolean storeLast,
                                                LayerWorkspaceMgr workspaces) {
        if (training && storeLast) {
            throw truncatedBackpropagation();
        }
        setInput(input, workspaces);
        return activateFrom(tBpttStateMap, storeLast, training, workspaces);
    }

    /**
     * Carries the state from one training minibatch to the next ({@link StreamTraining}): each forward
     * pass starts from the state in the map (zeros when it is empty) and leaves its last step's state
     * there; the backward pass stops at the minibatch's first step. {@code null} turns it off.
     */
    void carry(Map<String, INDArray> state) {
        if (state == null) {
            return;
        }
        throw new UnsupportedOperationException("The " + layerConf().getClass().getSimpleName() + " layer cannot carry its "
                + "state between minibatches; stateful training needs LSTM layers (or train on shuffledWindows()).");
    }

    /** The activations from the state kept in {@code state} (zeros when empty), keeping the last step's there when asked. */
    abstract INDArray activateFrom(Map<String, INDArray> state, boolean storeLast, boolean training, LayerWorkspaceMgr workspaces);

    @Override
    public Pair<Gradient, INDArray> tbpttBackpropGradient(INDArray epsilon, int length, LayerWorkspaceMgr workspaces) {
        throw truncatedBackpropagation();
    }

    /**
     * DL4J 1.0.0-M2.1 trains truncated BPTT by storing state in the forward pass and never calls
     * {@link #tbpttBackpropGradient}; the backward passes here start from zeros, so it is refused.
     */
    UnsupportedOperationException truncatedBackpropagation() {
        return new UnsupportedOperationException("The " + layerConf().getClass().getSimpleName() + " layer does not support "
                + "truncated backpropagation through time; train with BackpropType.Standard (the default).");
    }

    @Override
    public Type type() {
        return Type.RECURRENT;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    /** Like DL4J's LSTM: keeps the mask for its own steps and passes it on unchanged. */
    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray mask, MaskState state, int minibatchSize) {
        this.maskArray = mask;
        return new Pair<>(mask, MaskState.Passthrough);
    }
}
