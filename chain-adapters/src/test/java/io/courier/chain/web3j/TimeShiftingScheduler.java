package io.courier.chain.web3j;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Records each delay asked for, moves the {@link FakeTime} on by it, and runs the task at once. */
final class TimeShiftingScheduler extends ScheduledThreadPoolExecutor {

    final List<Long> delaysNanos = new CopyOnWriteArrayList<>();
    private final FakeTime time;

    TimeShiftingScheduler(FakeTime time) {
        super(1);
        this.time = time;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        delaysNanos.add(unit.toNanos(delay));
        return super.schedule(() -> {
            time.advanceNanos(unit.toNanos(delay));
            command.run();
        }, 0, TimeUnit.NANOSECONDS);
    }
}
