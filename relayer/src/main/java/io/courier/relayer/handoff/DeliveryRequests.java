package io.courier.relayer.handoff;

import io.courier.chain.message.MessageId;

/**
 * Where ATTESTED messages go to be delivered (the destination chain's submitter). The attester hands work over
 * through this, so it never imports the submitter; a destination without a submitter drops the request and the
 * submitter's own sweep of ATTESTED transfers finds the message later.
 */
@FunctionalInterface
public interface DeliveryRequests {

    void ready(long dstChainId, MessageId id);
}
