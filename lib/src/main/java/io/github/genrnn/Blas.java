package io.github.genrnn;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.lang.ref.Reference;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The recurrent layers' per-step product, handed to BLAS (the OpenBLAS that ND4J's CPU backend
 * ships) on blocks of rows, without a view or one of ND4J's ops per call: those cost about 10 µs
 * each, and a pass through a sequence of 50 characters makes over a hundred of them. On a GPU,
 * or for other types, it is ND4J's own product on views.
 */
final class Blas {
    private static final boolean CPU = Nd4j.getEnvironment().isCPU();

    private Blas() {
    }

    /**
     * {@code rows} rows of c from row {@code cRow} on ← the same rows of a from {@code aRow} on,
     * times b (or bᵀ). Straight to BLAS when all three are row-major arrays of their own (not views,
     * whose offsets ND4J counts in two ways), else ND4J's product on views.
     */
    static void product(INDArray a, long aRow, int rows, INDArray b, boolean transposeB, INDArray c, long cRow) {
        DataType type = a.dataType();
        if (!CPU || !(type == DataType.FLOAT || type == DataType.DOUBLE) || b.dataType() != type || c.dataType() != type
                || !whole(a) || !whole(b) || !whole(c)) {
            Nd4j.gemm(a.get(interval(aRow, aRow + rows), all()), b, c.get(interval(cRow, cRow + rows), all()), false, transposeB, 1.0, 0.0);
            return;
        }
        int k = (int) a.size(1), n = (int) c.size(1), ldb = (int) b.size(1);
        int order = openblas_nolapack.CblasRowMajor, opA = openblas_nolapack.CblasNoTrans;
        int opB = transposeB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        if (type == DataType.FLOAT) {
            openblas_nolapack.cblas_sgemm(order, opA, opB, rows, n, k, 1f, floats(a, aRow * k), k, floats(b, 0), ldb,
                    0f, floats(c, cRow * n), n);
        } else {
            openblas_nolapack.cblas_dgemm(order, opA, opB, rows, n, k, 1, doubles(a, aRow * k), k, doubles(b, 0), ldb,
                    0, doubles(c, cRow * n), n);
        }
        Reference.reachabilityFence(a); // ND4J frees an array's memory once it is collected
        Reference.reachabilityFence(b);
        Reference.reachabilityFence(c);
    }

    private static boolean whole(INDArray array) {
        return !array.isView() && array.rank() == 2 && array.ordering() == 'c' && Shape.hasDefaultStridesForShape(array);
    }

    private static FloatPointer floats(INDArray array, long from) {
        return new FloatPointer(array.data().addressPointer()).position(from);
    }

    private static DoublePointer doubles(INDArray array, long from) {
        return new DoublePointer(array.data().addressPointer()).position(from);
    }
}
