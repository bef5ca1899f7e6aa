import io.github.genrnn.AgNews;
import io.github.genrnn.CharVocabulary;
import io.github.genrnn.NewsArticle;
import io.github.genrnn.TitleBatches;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.config.LSTMActivations;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.config.LSTMDataFormat;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.config.LSTMDirectionMode;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.config.LSTMLayerConfig;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.weights.LSTMLayerWeights;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.weightinit.impl.XavierInitScheme;

/**
 * The LSTM(128) title generator written in SameDiff around ND4J's fused lstmLayer op, timed like
 * TrainingBenchmark (batch 64, bucketed titles, 10 warm-up and 100 timed steps): does the fused
 * op close the gap to PyTorch? Prints "train_step_samediff_1x128 seconds s".
 */
public class SameDiffBenchmark {
    static final int BATCH = 64, HIDDEN = 128, WARMUP = 10, STEPS = Integer.getInteger("steps", 100);

    public static void main(String[] args) {
        Locale.setDefault(Locale.ROOT);
        List<String> titles = AgNews.load().train().stream().map(NewsArticle::title).toList();
        CharVocabulary vocabulary = CharVocabulary.fromTexts(titles);
        int v = vocabulary.size();

        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("in", DataType.FLOAT, -1, v, -1);          // [batch, V, time]
        SDVariable label = sd.placeHolder("label", DataType.FLOAT, -1, v, -1);
        SDVariable mask = sd.placeHolder("mask", DataType.FLOAT, -1, -1);          // [batch, time]
        LSTMLayerConfig config = LSTMLayerConfig.builder().lstmdataformat(LSTMDataFormat.NST)
                .directionMode(LSTMDirectionMode.FWD).gateAct(LSTMActivations.SIGMOID)
                .cellAct(LSTMActivations.TANH).outAct(LSTMActivations.TANH)
                .retFullSequence(true).retLastH(false).retLastC(false).build();
        LSTMLayerWeights weights = LSTMLayerWeights.builder()
                .weights(sd.var("W", new XavierInitScheme('c', v, 4 * HIDDEN), DataType.FLOAT, v, 4 * HIDDEN))
                .rWeights(sd.var("RW", new XavierInitScheme('c', HIDDEN, 4 * HIDDEN), DataType.FLOAT, HIDDEN, 4 * HIDDEN))
                .bias(sd.zero("b", DataType.FLOAT, 4 * HIDDEN)).build();
        SDVariable hidden = sd.rnn.lstmLayer(in, weights, config)[0];             // [batch, H, time]
        SDVariable rows = hidden.permute(0, 2, 1).reshape(-1, HIDDEN);            // [batch·time, H]
        SDVariable logits = rows.mmul(sd.var("Wout", new XavierInitScheme('c', HIDDEN, v), DataType.FLOAT, HIDDEN, v))
                .add(sd.zero("bout", DataType.FLOAT, v));
        SDVariable targets = label.permute(0, 2, 1).reshape(-1, v);
        SDVariable loss = sd.loss.softmaxCrossEntropy("loss", targets, logits, mask.reshape(-1));
        sd.setLossVariables(loss);
        sd.setTrainingConfig(TrainingConfig.builder().updater(new Adam(0.01))
                .dataSetFeatureMapping("in").dataSetLabelMapping("label").dataSetLabelMaskMapping("mask").build());

        List<DataSet> batches = new ArrayList<>();
        var iterator = TitleBatches.of(titles, vocabulary, BATCH).shuffled(1).bucketed();
        while (batches.size() < WARMUP + STEPS) {
            if (!iterator.hasNext()) {
                iterator.reset();
            }
            DataSet batch = iterator.next();
            if (batch.getLabelsMaskArray() == null) {   // equal lengths: a mask of ones
                batch.setLabelsMaskArray(Nd4j.ones(DataType.FLOAT, batch.getFeatures().size(0), batch.getFeatures().size(2)));
            }
            batches.add(batch);
        }
        for (int i = 0; i < WARMUP; i++) {
            sd.fit(batches.get(i));
        }
        long start = System.nanoTime();
        for (int i = WARMUP; i < WARMUP + STEPS; i++) {
            sd.fit(batches.get(i));
        }
        System.out.println(String.format("dl4j-samediff train_step_1x128 %.4f s", (System.nanoTime() - start) / 1e9 / STEPS));
        System.out.println(String.format("# final loss %.3f", sd.output(batches.get(0), "loss").get("loss").getDouble(0)));
    }
}
