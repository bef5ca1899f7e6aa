package io.github.genrnn;

/** A generator network fed one symbol at a time, keeping its recurrent state between calls. */
interface SymbolStepper {

    /** Feeds the symbols in order and returns the network's distribution of the symbol after the last one. */
    double[] feed(int... symbols);

    /** Forgets everything fed so far. */
    void reset();
}
