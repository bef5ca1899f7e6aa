package io.github.genrnn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

class CharLossTest {

    /** Cross-entropy per unmasked character, computed directly from the network's probabilities. */
    private static double direct(MultiLayerNetwork net, DataSet batch) {
        INDArray p = net.output(batch.getFeatures(), false, batch.getFeaturesMaskArray(), batch.getLabelsMaskArray());
        double sum = 0;
        long count = 0;
        for (int b = 0; b < p.size(0); b++) {
            for (int t = 0; t < p.size(2); t++) {
                if (batch.getLabelsMaskArray() == null || batch.getLabelsMaskArray().getDouble(b, t) > 0) {
                    int target = batch.getLabels().get(
                            org.nd4j.linalg.indexing.NDArrayIndex.point(b), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                            org.nd4j.linalg.indexing.NDArrayIndex.point(t)).argMax().getInt(0);
                    sum -= Math.log(p.getDouble(b, target, t));
                    count++;
                }
            }
        }
        return sum / count;
    }

    @Test
    void dl4jScoreConvertsToLossPerCharacterOnRaggedBatches() {
        MultiLayerNetwork net = TinyModels.SPEC.network();
        DataSet batch = TitleBatches.of(TinyModels.TITLES, TinyModels.VOCABULARY, 8).next();
        assertEquals(26, CharLoss.predictedCharacters(batch), "the lengths of the eight titles");
        double score = net.score(batch, false);
        assertEquals(direct(net, batch), CharLoss.perCharacter(score, batch), 1e-4);
        assertEquals(direct(net, batch), CharLoss.evaluate(net, TitleBatches.of(TinyModels.TITLES, TinyModels.VOCABULARY, 8)), 1e-4);
    }

    @Test
    void anUntrainedNetworkIsNearUniform() {
        double loss = CharLoss.evaluate(TinyModels.SPEC.network(), TinyModels.batches());
        assertEquals(Math.log(TinyModels.VOCABULARY.size()), loss, 0.3);
    }

    @Test
    void bitsAreNatsOverLnTwo() {
        assertEquals(1.0, CharLoss.bits(Math.log(2)), 1e-12);
    }
}
