package io.github.genrnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class BlockProductTest {
    @Test
    void rowBlocksTimesAMatrixEqualNd4jsProductForWholeArraysAndViews() {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            Nd4j.getRandom().setSeed(3);
            INDArray a = Nd4j.rand(type, 10, 6), flat = Nd4j.rand(type, 1, 100);
            INDArray view = flat.get(interval(0, 1), interval(7, 7 + 48)).reshape('f', 6, 8); // at an offset, as DL4J's RW
            for (INDArray b : new INDArray[] {view.dup('c'), view}) { // BLAS straight; ND4J's product on views
                String order = b.isView() ? "view" : "whole";
                INDArray c = Nd4j.zeros(type, 9, 8);
                BlockProduct product = new BlockProduct(a, b, false, c);
                product.rows(3, 4, 2);
                product.rows(0, 2, 6); // a second block through the same product
                INDArray expected = a.get(interval(3, 7), all()).mmul(b), second = a.get(interval(0, 2), all()).mmul(b);
                assertEquals(0, expected.sub(c.get(interval(2, 6), all())).amaxNumber().doubleValue(), 1e-6, type + " " + order);
                assertEquals(0, second.sub(c.get(interval(6, 8), all())).amaxNumber().doubleValue(), 1e-6, type + " " + order);
                assertEquals(0, c.get(interval(0, 2), all()).amaxNumber().doubleValue(), 0.0, "rows outside the blocks stay");

                INDArray d = Nd4j.zeros(type, 5, 6);
                new BlockProduct(c, b, true, d).rows(2, 4, 1); // (rows of c)·bᵀ
                INDArray transposed = c.get(interval(2, 6), all()).mmul(b.transpose());
                assertEquals(0, transposed.sub(d.get(interval(1, 5), all())).amaxNumber().doubleValue(), 1e-6, type + " " + order + "ᵀ");
            }
        }
    }

    @Test
    void shapesThatDoNotMatchAndRowsOutsideTheArraysAreRefused() {
        INDArray a = Nd4j.rand(DataType.FLOAT, 10, 6), b = Nd4j.rand(DataType.FLOAT, 6, 8), c = Nd4j.zeros(DataType.FLOAT, 9, 8);
        assertThrows(IllegalArgumentException.class, () -> new BlockProduct(a, b, true, c));
        assertThrows(IllegalArgumentException.class, () -> new BlockProduct(a, Nd4j.rand(DataType.FLOAT, 5, 8), false, c));
        BlockProduct product = new BlockProduct(a, b, false, c);
        assertThrows(IndexOutOfBoundsException.class, () -> product.rows(8, 3, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> product.rows(0, 3, 7));
    }
}
