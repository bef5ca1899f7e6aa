package io.github.genrnn;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.lang.ref.Reference;
import java.util.Arrays;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The recurrent layers' per-step product: blocks of rows of c ← the same number of rows of a, times
 * b (or bᵀ), set up once per pass and handed to BLAS (the OpenBLAS that ND4J's CPU backend ships)
 * for each block, without a view and one of ND4J's ops per call: those cost about 10 µs each, and a
 * pass through a sequence of 50 characters makes over a hundred of them. For views (whose offsets
 * ND4J counts in two ways), other types than float and double, or the GPU, it is ND4J's own product on views.
 */
final class BlockProduct {
    static final boolean ON_CPU = Nd4j.getEnvironment().isCPU();
    private final INDArray a, b, c;
    private final boolean transposeB;
    private final int k, n;
    private final Pointer pa, pb, pc; // FloatPointer or DoublePointer; those of a and c move to each block

    BlockProduct(INDArray a, INDArray b, boolean transposeB, INDArray c) {
        this.a = a;
        this.b = b;
        this.c = c;
        this.transposeB = transposeB;
        this.k = (int) a.size(1);
        this.n = (int) c.size(1);
        long[] expected = transposeB ? new long[]{n, k} : new long[]{k, n};
        if (a.rank() != 2 || c.rank() != 2 || !Arrays.equals(b.shape(), expected)) {
            throw new IllegalArgumentException("Cannot multiply rows of " + Arrays.toString(a.shape()) + " by "
                    + Arrays.toString(b.shape()) + (transposeB ? "ᵀ" : "") + " into rows of " + Arrays.toString(c.shape()));
        }
        DataType type = a.dataType();
        boolean blas = ON_CPU && (type == DataType.FLOAT || type == DataType.DOUBLE) && b.dataType() == type && c.dataType() == type
                && whole(a) && whole(b) && whole(c);
        pa = blas ? pointer(a) : null;
        pb = blas ? pointer(b) : null;
        pc = blas ? pointer(c) : null;
    }

    /** Rows {@code cRow..cRow + rows} of c ← rows {@code aRow..aRow + rows} of a, times b (or bᵀ). */
    void rows(long aRow, int rows, long cRow) {
        if (aRow < 0 || rows < 0 || cRow < 0 || aRow + rows > a.size(0) || cRow + rows > c.size(0)) {
            throw new IndexOutOfBoundsException("Rows " + aRow + ".." + (aRow + rows) + " of " + a.size(0) + " into rows "
                    + cRow + ".." + (cRow + rows) + " of " + c.size(0));
        }
        if (pa == null) {
            INDArray to = cRow == 0 && rows == c.size(0) ? c : c.get(interval(cRow, cRow + rows), all());
            Nd4j.gemm(a.get(interval(aRow, aRow + rows), all()), b, to, false, transposeB, 1.0, 0.0);
            return;
        }
        int order = openblas_nolapack.CblasRowMajor, opA = openblas_nolapack.CblasNoTrans;
        int opB = transposeB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans, ldb = (int) b.size(1);
        pa.position(aRow * k);
        pc.position(cRow * n);
        if (pa instanceof FloatPointer floats) {
            openblas_nolapack.cblas_sgemm(order, opA, opB, rows, n, k, 1f, floats, k, (FloatPointer) pb, ldb, 0f, (FloatPointer) pc, n);
        } else {
            openblas_nolapack.cblas_dgemm(order, opA, opB, rows, n, k, 1, (DoublePointer) pa, k, (DoublePointer) pb, ldb, 0,
                    (DoublePointer) pc, n);
        }
        Reference.reachabilityFence(this); // ND4J frees an array's memory once it is collected
    }

    private static boolean whole(INDArray array) {
        return !array.isView() && array.rank() == 2 && array.ordering() == 'c' && Shape.hasDefaultStridesForShape(array);
    }

    private static Pointer pointer(INDArray array) {
        Pointer start = array.data().addressPointer();
        return array.dataType() == DataType.FLOAT ? new FloatPointer(start) : new DoublePointer(start);
    }
}
