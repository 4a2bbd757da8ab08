package io.courier.chain.quorum;

/** Too few of a chain's endpoints answered to agree on what was asked (a height): the chain waits, it does not halt. */
public final class QuorumUnreached extends RuntimeException {

    public QuorumUnreached(String chain, String what, int needed, int endpoints) {
        super("chain " + chain + ": fewer than " + needed + " of its " + endpoints + " RPC endpoints answered " + what
                + "; waiting for them to agree");
    }
}
