package io.github.genrnn;

/**
 * Thrown by generation and decoding when their thread is interrupted (■ in Jupyter); nothing is
 * returned. Inside a training callback it stops training as an interrupt between minibatches does.
 */
public final class GenerationInterruptedException extends IllegalStateException {
    GenerationInterruptedException(String message) {
        super(message);
    }
}
