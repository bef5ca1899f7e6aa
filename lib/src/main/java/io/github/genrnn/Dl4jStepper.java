package io.github.genrnn;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** A DL4J network stepped with {@code rnnTimeStep}: the reference the plain-Java engine is checked against. */
final class Dl4jStepper implements SymbolStepper {
    private final MultiLayerNetwork network;
    private final int vocabularySize;
    private final SequenceInput input;

    Dl4jStepper(MultiLayerNetwork network, int vocabularySize) {
        this.network = network;
        this.vocabularySize = vocabularySize;
        this.input = SequenceInput.of(network);
        network.rnnClearPreviousState();
    }

    @Override
    public double[] feed(int... symbols) {
        INDArray out = network.rnnTimeStep(SequenceBatch.features(new int[][] {symbols}, vocabularySize, input));
        return out.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.point(symbols.length - 1)).toDoubleVector();
    }

    @Override
    public void reset() {
        network.rnnClearPreviousState();
    }
}
