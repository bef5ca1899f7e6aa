package io.github.genrnn.kernel;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Watches for a cell that fills the memory. After a garbage collection that leaves the heap's
 * long-lived part more than {@link #FULL} full, or when the whole process comes within
 * {@link #MARGIN_MB} of the kernel's memory budget, it calls back, so that the cell can be stopped
 * while the kernel's own threads still have memory to answer with: a heap exhausted to the last
 * byte kills whichever thread allocates next, a kernel whose message loop dies hangs, and one that
 * outgrows its cap is killed.
 */
public final class MemoryGuard {
    /** The share of the long-lived heap that counts as full. */
    public static final double FULL = 0.9;
    private static boolean watching;

    private MemoryGuard() {
    }

    /**
     * Calls {@code onFull} with what is full (on a JMX thread) whenever a collection leaves the
     * long-lived heap full; set up once.
     */
    public static synchronized void watch(Consumer<String> onFull) {
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
                MemoryUsage usage = MemoryNotificationInfo.from((CompositeData) notification.getUserData()).getUsage();
                onFull.accept(String.format("the long-lived heap holds %,d of %,d MB after a collection",
                        usage.getUsed() >> 20, usage.getMax() >> 20));
            }
        }, null, null);
        long budget = budgetMegabytes();
        if (budget > 0 && residentMegabytes() > 0) {
            Thread thread = new Thread(() -> watchResident(budget, onFull), "memory-guard");
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** How far below the kernel's memory budget a cell is stopped: room for the kernel to answer. */
    static final long MARGIN_MB = 48;

    /** How much more a process may grow before it is collected, or its cell stopped, again. */
    static final long REGROWTH_MB = 16;

    /**
     * Watches the process's resident memory against the budget. ND4J's arrays live outside the Java
     * heap and are freed only when the collector finds their Java objects unreachable; objects that
     * have aged into the long-lived heap wait for a full collection, which a heap with room to spare
     * may not need for minutes, while their arrays pile up outside it. So above three quarters of the
     * budget the heap is collected, again for each {@link #REGROWTH_MB} more. Past the budget less
     * {@link #MARGIN_MB}, after a collection, {@code onFull} is called, and again each time the process
     * grows by {@link #REGROWTH_MB} more while it stays over (freed memory is not always given back,
     * and a cell that only sets variables to null must still run): a kernel that outgrows its
     * machine's or its hub's cap is killed without a word.
     */
    private static void watchResident(long budget, Consumer<String> onFull) {
        long collectAbove = budget * 3 / 4, limit = budget - MARGIN_MB;
        long collectedAt = 0, stoppedAt = 0;
        while (true) {
            long resident = residentMegabytes();
            if (resident > collectAbove && resident >= collectedAt + REGROWTH_MB) {
                resident = collected();
                collectedAt = resident;
            } else if (resident <= collectAbove) {
                collectedAt = 0;
            }
            if (resident > limit && (stoppedAt == 0 || resident >= stoppedAt + REGROWTH_MB)) {
                onFull.accept(String.format("the process holds %,d MB of its budget of %,d MB", resident, budget));
                stoppedAt = resident;
            } else if (resident <= limit) {
                stoppedAt = 0;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The resident memory in MB after a full collection and a moment for ND4J to free the arrays it found unreachable. */
    private static long collected() {
        System.gc();
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return residentMegabytes();
    }

    /** The budget the course's installer gave the kernel (-Dgenrnn.kernel.memory), in MB, or 0. */
    static long budgetMegabytes() {
        String budget = System.getProperty("genrnn.kernel.memory", "");
        return budget.matches("\\d+m") ? Long.parseLong(budget.substring(0, budget.length() - 1)) : 0;
    }

    /** This process's resident memory in MB (Linux's /proc), or 0 where it cannot be read. */
    static long residentMegabytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) >> 10;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: only the heap is watched
        }
        return 0;
    }

    /** What a reader is told when a cell is stopped for memory or runs out of it. */
    public static String advice() {
        long budget = budgetMegabytes();
        String full = budget == 0
                ? String.format("The kernel's Java heap (%,d MB, -Xmx) is full.", Runtime.getRuntime().maxMemory() >> 20)
                : String.format("The kernel's memory limit of %,d MB is reached (a Java heap of %,d MB and ND4J's arrays "
                        + "beside it; COURSE_KERNEL_MEMORY sets it when ./course registers the kernel).",
                        budget, Runtime.getRuntime().maxMemory() >> 20);
        return full + " Variables that hold large data are kept: set them to null and run the cell again, or restart "
                + "the kernel (Kernel > Restart Kernel).";
    }
}
