package io.github.genrnn;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The arithmetic of the plain-Java engine on plain arrays (products, softmax), and copies of DL4J matrices into them. */
final class Dense {
    private Dense() {
    }

    /** A DL4J matrix as rows of floats. */
    static float[][] rows(INDArray matrix) {
        int columns = (int) matrix.size(1);
        float[] all = vector(matrix);
        float[][] rows = new float[(int) matrix.size(0)][];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = Arrays.copyOfRange(all, r * columns, (r + 1) * columns);
        }
        return rows;
    }

    /**
     * All elements of a vector or matrix in row-major order, read in one piece from ND4J's buffer
     * through its offset and strides (ND4J's own copies and element access cost several times more).
     */
    static float[] vector(INDArray array) {
        INDArray floats = array.dataType() == DataType.FLOAT ? array : array.castTo(DataType.FLOAT);
        boolean matrix = floats.rank() == 2;
        int rows = matrix ? (int) floats.size(0) : 1;
        int columns = (int) floats.size(matrix ? 1 : 0);
        long rowStride = matrix ? floats.stride(0) : 0;
        long columnStride = floats.stride(matrix ? 1 : 0);
        float[] span = new float[(int) ((rows - 1) * rowStride + (columns - 1) * columnStride + 1)];
        floats.data().asNioFloat().get((int) floats.offset(), span);
        java.lang.ref.Reference.reachabilityFence(floats); // a cast copy's memory is freed once it is collected
        float[] all = new float[rows * columns];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                all[r * columns + c] = span[(int) (r * rowStride + c * columnStride)];
            }
        }
        return all;
    }

    /**
     * {@code out += x·w}, row by row: each input adds its row of weights scaled by its value, so
     * zeros (all but one input of a one-hot vector) cost nothing and the inner loop vectorises.
     */
    static void addProduct(float[] x, float[][] w, float[] out) {
        for (int j = 0; j < x.length; j++) {
            float xj = x[j];
            if (xj != 0) {
                float[] row = w[j];
                for (int k = 0; k < out.length; k++) {
                    out[k] += xj * row[k];
                }
            }
        }
    }

    /** Turns scores into probabilities in place: exp(score - max), normalised; a score of -∞ gets 0. */
    static double[] softmax(double[] scores) {
        double max = Double.NEGATIVE_INFINITY;
        for (double score : scores) {
            max = Math.max(max, score);
        }
        double sum = 0;
        for (int i = 0; i < scores.length; i++) {
            scores[i] = Math.exp(scores[i] - max);
            sum += scores[i];
        }
        for (int i = 0; i < scores.length; i++) {
            scores[i] /= sum;
        }
        return scores;
    }
}
