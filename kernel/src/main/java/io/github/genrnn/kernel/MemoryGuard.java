package io.github.genrnn.kernel;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import javax.management.NotificationEmitter;

/**
 * Watches the Java heap for a cell that fills it. After a garbage collection that leaves the
 * heap's long-lived part more than {@link #FULL} full, it calls back, so that the cell can be
 * stopped while the kernel's own threads still have memory to answer with: a heap exhausted to the
 * last byte kills whichever thread allocates next, and a kernel whose message loop dies hangs.
 */
public final class MemoryGuard {
    /** The share of the long-lived heap that counts as full. */
    public static final double FULL = 0.9;
    private static boolean watching;

    private MemoryGuard() {
    }

    /** Calls {@code onFull} (on a JMX thread) whenever a collection leaves the long-lived heap full; set up once. */
    public static synchronized void watch(Runnable onFull) {
        if (watching) {
            return;
        }
        watching = true;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            long max = pool.getUsage().getMax();
            if (pool.getType() == MemoryType.HEAP && pool.isUsageThresholdSupported()
                    && pool.isCollectionUsageThresholdSupported() && max > 0) {
                pool.setCollectionUsageThreshold((long) (max * FULL));
            }
        }
        ((NotificationEmitter) ManagementFactory.getMemoryMXBean()).addNotificationListener((notification, handback) -> {
            if (MemoryNotificationInfo.MEMORY_COLLECTION_THRESHOLD_EXCEEDED.equals(notification.getType())) {
                onFull.run();
            }
        }, null, null);
    }

    /** What a reader is told when a cell is stopped for memory or runs out of it. */
    public static String advice() {
        return String.format("The kernel's Java heap (%,d MB, -Xmx) is full. Variables that hold large data are kept: set "
                + "them to null and run the cell again, or restart the kernel (Kernel > Restart Kernel).",
                Runtime.getRuntime().maxMemory() >> 20);
    }
}
