package dev.encore.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where a phase's CPU went: this JVM, the local PostgreSQL server's processes, everything else on
 * the machine, and the time the hypervisor gave to other guests (steal). On two cores a load that
 * keeps the JVM and the server busy at once is slowed by anything else that runs, which is why
 * the rates of one run are compared with each other only. Linux only (/proc); elsewhere the
 * server and machine figures read as unknown.
 */
final class CpuProbe {
    /** The kernel's clock ticks per second, 100 on every Linux this runs on (USER_HZ). */
    private static final double TICKS_PER_SECOND = 100;

    record Sample(long jvmNanos, long serverTicks, long busyTicks, long stealTicks, boolean proc) {
    }

    private CpuProbe() {
    }

    static Sample now() {
        long jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        try {
            // cpu  user nice system idle iowait irq softirq steal ...
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = Long.parseLong(cpu[1]) + Long.parseLong(cpu[2]) + Long.parseLong(cpu[3])
                    + Long.parseLong(cpu[6]) + Long.parseLong(cpu[7]);
            return new Sample(jvm, serverTicks(), busy, Long.parseLong(cpu[8]), true);
        } catch (IOException | RuntimeException e) {
            return new Sample(jvm, 0, 0, 0, false);
        }
    }

    /** User and system ticks of every process named postgres (the server and its backends). */
    private static long serverTicks() throws IOException {
        long ticks = 0;
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    int close = stat.lastIndexOf(')');
                    if (!stat.substring(stat.indexOf('(') + 1, close).equals("postgres")) {
                        continue;
                    }
                    String[] f = stat.substring(close + 2).split(" "); // from field 3 (state) on
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
                } catch (IOException | RuntimeException gone) {
                    // a process that ended while we looked
                }
            }
        }
        return ticks;
    }

    /** Cores busy on average over the phase: the JVM, PostgreSQL, the rest of the machine, and steal. */
    static String describe(Sample from, Sample to, double seconds) {
        double jvm = (to.jvmNanos - from.jvmNanos) / 1e9 / seconds;
        if (!from.proc || !to.proc) {
            return String.format(Locale.ROOT, "JVM %.2f", jvm);
        }
        double server = (to.serverTicks - from.serverTicks) / TICKS_PER_SECOND / seconds;
        double busy = (to.busyTicks - from.busyTicks) / TICKS_PER_SECOND / seconds;
        double steal = (to.stealTicks - from.stealTicks) / TICKS_PER_SECOND / seconds;
        return String.format(Locale.ROOT, "JVM %.2f, PostgreSQL %.2f, others %.2f, steal %.2f",
                jvm, server, Math.max(0, busy - jvm - server), steal);
    }
}
