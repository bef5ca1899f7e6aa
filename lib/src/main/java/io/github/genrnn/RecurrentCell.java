package io.github.genrnn;

/** One recurrent layer of the plain-Java engine: reads an input vector per step and keeps its state between steps. */
interface RecurrentCell {

    /** One time step: reads x, updates the state and returns the new hidden state h (kept by the cell; do not change it). */
    float[] step(float[] x);

    /** Back to the zero state of the start of a text. */
    void reset();

    /** The state's arrays (h, and c for an LSTM), kept by the cell: copy them to keep a state. */
    float[][] state();
}
