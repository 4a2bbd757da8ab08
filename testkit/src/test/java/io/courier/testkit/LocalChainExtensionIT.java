package io.courier.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalChainExtension.class)
class LocalChainExtensionIT {

    @Test
    void sameIdSameChainWithinTheClass(@Chain(id = 5001) LocalChain a, @Chain(id = 5001) LocalChain again,
                                       @Chain(id = 5002) LocalChain b) {
        assertThat(again).isSameAs(a);
        assertThat(b.chainId()).isEqualTo(5002);
        assertThat(a.rpcUrl()).isNotEqualTo(b.rpcUrl());
        assertThat(a.rpcUrl()).startsWith("http://127.0.0.1:");
    }
}
