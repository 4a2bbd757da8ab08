package io.courier.chain.web3j;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Records the delays asked for and runs the task at once, so retry tests neither sleep nor depend on timing. */
final class RecordingScheduler extends ScheduledThreadPoolExecutor {

    final List<Long> delaysNanos = new CopyOnWriteArrayList<>();

    RecordingScheduler() {
        super(1);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        delaysNanos.add(unit.toNanos(delay));
        return super.schedule(command, 0, TimeUnit.NANOSECONDS);
    }
}
