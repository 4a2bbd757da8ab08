package io.courier.relayer.submit;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.chain.ChainRpcException;
import io.courier.chain.RpcCall;
import io.courier.chain.RpcFailure;
import io.courier.chain.message.MessageId;
import io.courier.finality.store.StoreException;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class BroadcastVerdictTest {

    private static ChainRpcException rpc(ChainRpcException.Kind kind) {
        return new ChainRpcException("dest", 1002, RpcCall.of("eth_sendRawTransaction"),
                new RpcFailure(kind, kind.label() + " from the node", null, null), 1, null);
    }

    private static BroadcastVerdict notSent(Throwable cause) {
        return BroadcastVerdict.of(new TransactionSends.SendResult.NotSent(cause));
    }

    @Test
    void aSentTransactionIsFollowedWithoutTheTransfersThatMovedAway() {
        MessageId away = MessageId.fromHex("0x" + "11".repeat(32));
        assertThat(BroadcastVerdict.of(new TransactionSends.SendResult.Sent(Set.of(away))))
                .isEqualTo(new BroadcastVerdict.Followed(Set.of(away)));
    }

    @Test
    void aNonceGoesBackOnlyWhenNothingWasRecorded() {
        assertThat(BroadcastVerdict.of(new TransactionSends.SendResult.NothingRecorded(new StoreException("cassandra down"))))
                .isEqualTo(new BroadcastVerdict.NonceUnused(NonceManager.Unused.NOTHING_RECORDED,
                        "recording it failed, nonce given back: cassandra down"));
        assertThat(BroadcastVerdict.of(new TransactionSends.SendResult.NotPersisted("transfer moved away")))
                .isEqualTo(new BroadcastVerdict.NonceUnused(NonceManager.Unused.RECORDED_NOT_SENT,
                        "transfer moved away; the nonce check adopts or fills the nonce"));
    }

    @Test
    void theNodesAnswerDecidesBetweenFineNeverAgainAndAgainAtThePoll() {
        assertThat(notSent(new CompletionException(rpc(ChainRpcException.Kind.ALREADY_KNOWN))))
                .isInstanceOf(BroadcastVerdict.AlreadyKnown.class);
        assertThat(notSent(new CompletionException(rpc(ChainRpcException.Kind.TX_REJECTED))))
                .isEqualTo(new BroadcastVerdict.RejectedForGood(rpc(ChainRpcException.Kind.TX_REJECTED).getMessage()));
        for (ChainRpcException.Kind kind : Set.of(ChainRpcException.Kind.TRANSIENT, ChainRpcException.Kind.NONCE_TOO_LOW,
                ChainRpcException.Kind.UNDERPRICED, ChainRpcException.Kind.TIMEOUT)) {
            assertThat(notSent(rpc(kind))).as("%s", kind).isInstanceOf(BroadcastVerdict.SendAgain.class);
        }
        assertThat(notSent(new StoreException("write timed out", null, true)))
                .isEqualTo(new BroadcastVerdict.SendAgain("broadcast failed, will retry: " + new StoreException("write timed out", null, true)));
    }
}
