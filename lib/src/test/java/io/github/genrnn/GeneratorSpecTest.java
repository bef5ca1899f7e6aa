package io.github.genrnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GeneratorSpecTest {

    @Test
    void theLessonsModelHas119892Parameters() {
        GeneratorSpec spec = GeneratorSpec.lstm(84, 128);
        // LSTM: 4 gates × (84 inputs × 128 + 128 × 128 recurrent + 128 biases) = 109,056
        // output: 128 × 84 weights + 84 biases = 10,836
        assertEquals(119_892, spec.parameterCount());
        assertEquals(119_892, spec.network().numParams());
    }

    @Test
    void theFormulaMatchesDl4jForDeeperAndEmbeddedModels() {
        for (GeneratorSpec spec : new GeneratorSpec[] {
                GeneratorSpec.lstm(81, 256).withLayers(2), GeneratorSpec.lstm(81, 32).withLayers(3).withDropout(0.2),
                GeneratorSpec.lstm(81, 64).withEmbedding(16), GeneratorSpec.gru(81, 128), GeneratorSpec.gru(81, 32).withLayers(3),
                GeneratorSpec.gru(81, 64).withEmbedding(16).withHiddenSize(20)}) {
            assertEquals(spec.network().numParams(), spec.parameterCount(), spec.toString());
        }
    }

    @Test
    void badSettingsAreRejected() {
        var hidden = assertThrows(IllegalArgumentException.class, () -> GeneratorSpec.lstm(84, 0));
        assertTrue(hidden.getMessage().contains("hidden size"), hidden.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GeneratorSpec.lstm(84, 8).withLayers(4));
        assertThrows(IllegalArgumentException.class, () -> GeneratorSpec.lstm(84, 8).withDropout(1));
        assertThrows(IllegalArgumentException.class, () -> GeneratorSpec.lstm(84, 8).withLearningRate(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> GeneratorSpec.lstm(2, 8));
        var layers = assertThrows(IllegalArgumentException.class, () -> GeneratorSpec.gru(84, 8).withLayers(0));
        assertEquals("Use 1 to 3 recurrent layers, not 0.", layers.getMessage());
        var negative = assertThrows(IllegalArgumentException.class, () -> GeneratorSpec.gru(84, 8).withHiddenSize(-5));
        assertEquals("The hidden size must be at least 1, not -5.", negative.getMessage());
        var dropout = assertThrows(IllegalArgumentException.class, () -> GeneratorSpec.gru(84, 8).withDropout(-0.1));
        assertEquals("The dropout probability must be in [0, 1), not -0.1.", dropout.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new GeneratorSpec(null, 84, 8, 1, 0, 0, 0.01, 1));
    }

    @Test
    void aSpecOfAnotherCellOrSizeIsRefusedEvenWithTheSameParameterCount() {
        var lstm50 = GeneratorSpec.lstm(78, 50).network();
        assertEquals(GeneratorSpec.gru(78, 60).parameterCount(), lstm50.numParams(), "over 78 symbols both have the same count");
        GeneratorSpec.lstm(78, 50).requireDescribes(lstm50);
        var refused = assertThrows(IllegalArgumentException.class, () -> GeneratorSpec.gru(78, 60).requireDescribes(lstm50));
        assertTrue(refused.getMessage().contains("does not describe the network"), refused.getMessage());
    }

    @Test
    void theGruFormulaHasThreeBlocksPerLayer() {
        // GRU: 3 blocks × (84 inputs × 128 + 128 × 128 recurrent + 128 biases) = 81,792, output 10,836
        assertEquals(92_628, GeneratorSpec.gru(84, 128).parameterCount());
    }

    @Test
    void roundTripsThroughProperties() {
        GeneratorSpec spec = GeneratorSpec.lstm(81, 64).withLayers(2).withDropout(0.1).withEmbedding(8).withSeed(7);
        assertEquals(spec, GeneratorSpec.fromProperties(spec.toProperties()));
        assertEquals(SequenceInput.INDICES, spec.input());
        GeneratorSpec gru = GeneratorSpec.gru(81, 32).withLayers(3);
        assertEquals(gru, GeneratorSpec.fromProperties(gru.toProperties()));
    }

    @Test
    void propertiesSavedBeforeGruExistedMeanLstm() {
        var properties = GeneratorSpec.lstm(81, 64).toProperties();
        properties.remove("cell");
        assertEquals(GeneratorSpec.lstm(81, 64), GeneratorSpec.fromProperties(properties));
    }
}
