package io.courier.relayer.submit;

import io.courier.relayer.stage.StageDeadline;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * Bounds each asynchronous step of the submitter ({@link StageDeadline} in the node). A port so that tests can
 * make a step miss its deadline without waiting for it.
 */
public interface StepDeadlines {

    StepDeadlines STAGE_DEADLINE = StageDeadline::within;

    <T> CompletionStage<T> within(CompletionStage<T> stage, Duration limit, String what);
}
