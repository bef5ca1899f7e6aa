package io.github.genrnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SampleStatisticsTest {

    @Test
    void measuresRepetitionNoveltyAndLength() {
        var stats = SampleStatistics.of(List.of("the cat the cat the cat", "Oil prices rise"),
                List.of("Oil prices rise", "Something else"));
        assertEquals(5 / 9.0, stats.distinctWords(), 1e-12, "the, cat, Oil, prices, rise of 9 words");
        assertEquals(3 / 7.0, stats.repeatedBigrams(), 1e-12, "'the cat' twice again, 'cat the' once again, of 7 pairs");
        assertEquals(0.5, stats.verbatim());
        assertEquals((23 + 15) / 2.0, stats.meanLength());
    }

    @Test
    void noSamplesIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> SampleStatistics.of(List.of(), List.of("a")));
    }
}
