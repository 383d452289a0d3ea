package dev.encore.store;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.Optional;

/**
 * Which start of Encore holds a claim or runs an import: host, process id and the process's start
 * time (so a recycled pid is not mistaken for the same start), as {@code host/pid/startMillis}.
 * On its own host a start that is over can be told for certain: no live process has that pid and
 * start time. On another host only the claim's lease tells.
 */
public record InstanceId(String host, long pid, long startedMillis) {
    private static final InstanceId CURRENT = ofProcess(ProcessHandle.current());

    /** This process's start. */
    public static InstanceId current() {
        return CURRENT;
    }

    static InstanceId ofProcess(ProcessHandle process) {
        String name = ManagementFactory.getRuntimeMXBean().getName(); // pid@host
        String host = name.contains("@") ? name.substring(name.indexOf('@') + 1) : "localhost";
        long started = process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        return new InstanceId(host.length() > 150 ? host.substring(0, 150) : host, process.pid(), started);
    }

    /** Reads back what {@link #toString()} wrote; empty for a claimant of an older version ({@code pid@host}). */
    public static Optional<InstanceId> parse(String id) {
        if (id == null) {
            return Optional.empty();
        }
        int second = id.lastIndexOf('/');
        int first = second > 0 ? id.lastIndexOf('/', second - 1) : -1;
        if (first <= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(new InstanceId(id.substring(0, first), Long.parseLong(id.substring(first + 1, second)),
                    Long.parseLong(id.substring(second + 1))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** True when this start ran on this host and its process is gone (killed, crashed, or ended). */
    public boolean isOverOnThisHost() {
        if (!host.equals(CURRENT.host) || equals(CURRENT)) {
            return false;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) {
            return true;
        }
        long started = process.get().info().startInstant().map(Instant::toEpochMilli).orElse(startedMillis);
        return started != startedMillis; // the pid was given to a later process
    }

    @Override
    public String toString() {
        return host + "/" + pid + "/" + startedMillis;
    }
}
