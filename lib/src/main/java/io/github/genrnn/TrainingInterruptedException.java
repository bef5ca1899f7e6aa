package io.github.genrnn;

/**
 * Thrown by {@link GeneratorTraining#run()} when its thread is interrupted (■ in Jupyter): training
 * stops after the current minibatch, and the message says where it stopped and which checkpoint
 * to resume from.
 */
public final class TrainingInterruptedException extends RuntimeException {
    TrainingInterruptedException(String message) {
        super(message);
    }
}
