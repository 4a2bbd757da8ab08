package io.courier.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.courier.chain.message.CrossChainMessage;
import io.courier.chain.message.MessageId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class DeliveryPlannerTest {

    private static final String GW_A = "0x" + "aa".repeat(20);
    private static final String GW_B = "0x" + "bb".repeat(20);
    private static final String SENDER = "0x" + "11".repeat(20);
    private static final String RECIPIENT = "0x" + "22".repeat(20);
    private static final DeliveryGas GAS = new DeliveryGas(3, 5, 5_000, 210_000);
    private static final DeliveryPlanner.Limits ROOMY = new DeliveryPlanner.Limits(128, 30_000_000, true);

    private static CrossChainMessage msg(String srcGateway, long nonce, int payload) {
        return new CrossChainMessage(1001, srcGateway, nonce, 1002, SENDER, RECIPIENT, new byte[payload]);
    }

    private static List<CrossChainMessage> range(long first, long count) {
        return LongStream.range(first, first + count).mapToObj(n -> msg(GW_A, n, 96)).toList();
    }

    @Test
    void aContiguousRunGoesOutAsOneCheckpointAndAStrayOneAlone() {
        List<CrossChainMessage> ready = new ArrayList<>(range(10, 5));
        ready.add(msg(GW_A, 20, 96));
        List<Delivery> plan = DeliveryPlanner.plan(ready, Set.of(), ROOMY, GAS);
        assertThat(plan).hasSize(2);
        assertThat(plan.get(0)).isInstanceOf(Delivery.Checkpoint.class);
        assertThat(((Delivery.Checkpoint) plan.get(0)).firstNonce()).isEqualTo(10);
        assertThat(((Delivery.Checkpoint) plan.get(0)).lastNonce()).isEqualTo(14);
        assertThat(plan.get(1)).isInstanceOf(Delivery.Lone.class);
    }

    @Test
    void withoutCheckpointSignersGapsAndRunsShareOneBatch() {
        List<CrossChainMessage> ready = List.of(msg(GW_A, 3, 96), msg(GW_A, 7, 96), msg(GW_A, 8, 96));
        List<Delivery> plan = DeliveryPlanner.plan(ready, Set.of(), new DeliveryPlanner.Limits(128, 30_000_000, false), GAS);
        assertThat(plan).singleElement().isInstanceOf(Delivery.Batch.class);
        assertThat(plan.get(0).messages()).extracting(CrossChainMessage::nonce).containsExactly(3L, 7L, 8L);
    }

    @Test
    void routesNeverShareATransactionAndAloneMessagesGoAlone() {
        List<CrossChainMessage> ready = new ArrayList<>(range(0, 3));
        ready.add(msg(GW_B, 1, 96));
        ready.add(msg(GW_B, 2, 96));
        MessageId alone = ready.get(1).id();
        List<Delivery> plan = DeliveryPlanner.plan(ready, Set.of(alone), ROOMY, GAS);
        assertThat(plan).allSatisfy(d -> assertThat(d.messages().stream().map(CrossChainMessage::srcGateway).distinct()).hasSize(1));
        assertThat(plan).filteredOn(d -> d.messages().stream().anyMatch(m -> m.id().equals(alone)))
                .singleElement().isInstanceOf(Delivery.Lone.class);
    }

    @Test
    void aLongRunIsCutAtTheMessageLimit() {
        List<Delivery> plan = DeliveryPlanner.plan(range(0, 300), Set.of(), ROOMY, GAS);
        assertThat(plan).extracting(d -> d.messages().size()).containsExactly(128, 128, 44);
        assertThat(plan).allSatisfy(d -> assertThat(d).isInstanceOf(Delivery.Checkpoint.class));
    }

    @Test
    void theGasBudgetCutsBeforeTheMessageLimit() {
        DeliveryGas heavy = new DeliveryGas(3, 5, 100_000, 210_000);
        List<Delivery> plan = DeliveryPlanner.plan(range(0, 40), Set.of(), new DeliveryPlanner.Limits(128, 1_500_000, true), heavy);
        assertThat(plan.size()).isGreaterThan(1);
        assertThat(plan).allSatisfy(d -> assertThat(d.estimatedGas()).isLessThanOrEqualTo(1_500_000));
    }

    // ── properties ──────────────────────────────────────────────────────────────────────────────

    private record Case(List<CrossChainMessage> ready, Set<MessageId> alone, DeliveryPlanner.Limits limits, DeliveryGas gas) {}

    private static Gen<Case> cases() {
        Gen<List<Integer>> nonces = lists().of(integers().between(0, 60)).ofSizeBetween(0, 80);
        Gen<List<Integer>> payloads = lists().of(integers().between(0, 600)).ofSizeBetween(80, 80);
        Gen<DeliveryGas> gas = integers().between(1, 5).zip(integers().between(0, 4), integers().between(0, 150_000),
                (k, extra, handler) -> new DeliveryGas(k, k + extra, handler, 210_000));
        Gen<DeliveryPlanner.Limits> limits = integers().between(1, 130).zip(integers().between(300_000, 8_000_000), booleans().all(),
                (max, budget, checkpoints) -> new DeliveryPlanner.Limits(max, budget, checkpoints, budget / 40));
        return nonces.zip(payloads, booleans().all(), gas, limits, (ns, ps, twoRoutes, g, l) -> {
            // a route numbers its messages without repeats (the source gateway's nonce)
            List<CrossChainMessage> ready = new ArrayList<>();
            Set<String> taken = new HashSet<>();
            for (int i = 0; i < ns.size(); i++) {
                String gateway = twoRoutes && i % 3 == 0 ? GW_B : GW_A;
                if (taken.add(gateway + ns.get(i))) {
                    ready.add(msg(gateway, ns.get(i), ps.get(i)));
                }
            }
            Set<MessageId> alone = ready.stream().filter(m -> m.nonce() % 7 == 3).map(CrossChainMessage::id).collect(Collectors.toSet());
            return new Case(ready, alone, l, g);
        });
    }

    @Test
    void everyReadyMessageIsPlannedExactlyOnce() {
        qt().withExamples(500).forAll(cases()).checkAssert(c -> {
            List<Delivery> plan = DeliveryPlanner.plan(c.ready(), c.alone(), c.limits(), c.gas());
            List<MessageId> planned = plan.stream().flatMap(d -> d.messages().stream()).map(CrossChainMessage::id).toList();
            assertThat(planned).doesNotHaveDuplicates();
            assertThat(new HashSet<>(planned)).isEqualTo(c.ready().stream().map(CrossChainMessage::id).collect(Collectors.toSet()));
        });
    }

    @Test
    void noTransactionOfSeveralMessagesPassesTheLimitsAndEachHoldsOneRoute() {
        qt().withExamples(500).forAll(cases()).checkAssert(c -> {
            for (Delivery d : DeliveryPlanner.plan(c.ready(), c.alone(), c.limits(), c.gas())) {
                assertThat(d.messages().size()).isLessThanOrEqualTo(Math.max(1, c.limits().maxMessages()));
                if (d.messages().size() > 1) {
                    assertThat(d.estimatedGas()).isLessThanOrEqualTo(c.limits().gasBudget());
                    long bytes = d instanceof Delivery.Checkpoint ? c.gas().checkpointBytes(d.messages()) : c.gas().batchBytes(d.messages());
                    assertThat(bytes).isLessThanOrEqualTo(c.limits().maxCalldataBytes());
                }
                assertThat(d.messages().stream().map(m -> m.srcGateway() + m.srcChainId() + m.dstChainId()).distinct()).hasSize(1);
                if (d instanceof Delivery.Checkpoint) {
                    assertThat(c.limits().checkpoints()).isTrue();
                }
                d.messages().stream().filter(m -> c.alone().contains(m.id()))
                        .forEach(m -> assertThat(d).isInstanceOf(Delivery.Lone.class));
            }
        });
    }

    @Test
    void eachDeliveryCostsNoMoreThanTheOtherPathsForItsMessages() {
        qt().withExamples(500).forAll(cases()).checkAssert(c -> {
            DeliveryGas g = c.gas();
            for (Delivery d : DeliveryPlanner.plan(c.ready(), c.alone(), c.limits(), c.gas())) {
                List<CrossChainMessage> ms = d.messages();
                long lones = ms.stream().mapToLong(g::lone).sum();
                assertThat(d.estimatedGas()).as("%s vs lone each", d.path()).isLessThanOrEqualTo(lones);
                if (ms.size() > 1) {
                    assertThat(d.estimatedGas()).as("%s vs one batch", d.path()).isLessThanOrEqualTo(g.batch(ms));
                }
            }
        });
    }

    @Test
    void withRoomToSpareNoBatchHoldsTwoNeighbouringNonces() {
        // neighbours belong in a checkpoint, which is cheaper whatever the set's size and the payloads
        qt().withExamples(300).forAll(cases()).checkAssert(c -> {
            DeliveryPlanner.Limits roomy = new DeliveryPlanner.Limits(Math.max(2, c.limits().maxMessages()), 100_000_000, true);
            for (Delivery d : DeliveryPlanner.plan(c.ready(), c.alone(), roomy, c.gas())) {
                if (d instanceof Delivery.Batch b) {
                    List<Long> ns = b.messages().stream().map(CrossChainMessage::nonce).toList();
                    for (int i = 1; i < ns.size(); i++) {
                        assertThat(ns.get(i)).as("batch %s", ns).isNotEqualTo(ns.get(i - 1) + 1);
                    }
                }
            }
        });
    }

}
