package io.courier.relayer.config;

import io.courier.chain.message.Address;

import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The validated configuration of one Courier node; built only by {@link NodeConfigLoader}. */
public record NodeConfig(
        String nodeName,
        CassandraSettings cassandra,
        ApiSettings api,
        List<ChainSettings> chains,
        ValidatorSettings validator,
        SubmitterSettings submitter,
        MonitorSettings monitor,
        OracleSettings oracle,
        io.courier.payment.PaymentPolicy payment) {

    /** The long-horizon monitor; {@code slaByRoute} is keyed {@code "src->dst"}. */
    public record MonitorSettings(Duration interval, int lookbackDays, int maxPerDestination, Duration defaultSla,
                                  java.util.Map<String, Duration> slaByRoute) {}

    public record CassandraSettings(
            List<InetSocketAddress> contactPoints,
            String localDatacenter,
            String keyspace,
            boolean createKeyspace,
            int replicationFactor,
            int maxRequestsInFlight,
            Duration requestTimeout,
            CqlProtocol protocol) {}

    /**
     * The CQL native protocol version the node's sessions speak (docs/ARCHITECTURE.md §4, "Sessions"). V4 by default:
     * with driver 4.19 against Cassandra 5 on V5, a CAS write timeout left the connection unreadable and every request
     * in flight on it failed (bench/RESULTS.md, drain).
     */
    public enum CqlProtocol { V4, V5 }

    /**
     * The status API; {@code adminToken} is a secret: never logged. {@code maxEventStreams*}: caps on open
     * server-sent-event streams, in all and per client; {@code cassandra}: the API's own CQL session;
     * {@code maxAddressRows}: index rows one address page may examine; {@code eventsUnknownWait}: how long an events
     * stream of a transfer not known yet waits for it; {@code cache}: the cache of transfers that can no longer change.
     */
    public record ApiSettings(String host, int port, Optional<Secret> adminToken, int maxEventStreams,
                              int maxEventStreamsPerClient, ApiCassandraSettings cassandra, int maxAddressRows,
                              Duration eventsUnknownWait, ApiCacheSettings cache, ApiHttpSettings http, int threads) {}

    /**
     * The API's HTTP server: origins a browser page may read it from ({@code courier.api.cors}; empty: CORS off, "*":
     * any), the largest request entity accepted and how long a request may take before it is answered 503.
     */
    public record ApiHttpSettings(List<String> corsAllowedOrigins, long maxRequestBytes, Duration requestTimeout) {
        public ApiHttpSettings {
            corsAllowedOrigins = List.copyOf(corsAllowedOrigins);
        }
    }

    /** At most {@code maxEntries} delivered transfers kept in memory by the API, each for at most {@code ttl}; 0 entries: off. */
    public record ApiCacheSettings(int maxEntries, Duration ttl) {}

    /**
     * The status API's CQL session (same cluster, keyspace and data center as {@link CassandraSettings}), apart from
     * the relay's so that API load queues in its own throttler and never takes the relay's connections: at most
     * {@code maxRequestsInFlight} requests in flight, {@code maxRequestsQueued} waiting, beyond that refused (503).
     */
    public record ApiCassandraSettings(int maxRequestsInFlight, int maxRequestsQueued, Duration requestTimeout) {}

    public record RetrySettings(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {}

    public record ChainSettings(
            String name,
            long chainId,
            List<String> rpcUrls,
            Address gateway,
            io.courier.finality.FinalityPolicy finality,
            long startBlock,
            Duration pollInterval,
            int maxLogRange,
            Duration requestTimeout,
            int maxRequestsInFlight,
            int maxRequestsQueued,
            RetrySettings retry,
            io.courier.chain.web3j.EndpointPoolSettings endpointPool,
            int windowSize,
            int quorum,
            io.courier.fees.FeeSettings fees,
            java.math.BigInteger signerFloorWei) {

        /** Without a signer balance floor. */
        public ChainSettings(String name, long chainId, List<String> rpcUrls, Address gateway, io.courier.finality.FinalityPolicy finality,
                             long startBlock, Duration pollInterval, int maxLogRange, Duration requestTimeout, int maxRequestsInFlight,
                             int maxRequestsQueued, RetrySettings retry, io.courier.chain.web3j.EndpointPoolSettings endpointPool,
                             int windowSize, int quorum, io.courier.fees.FeeSettings fees) {
            this(name, chainId, rpcUrls, gateway, finality, startBlock, pollInterval, maxLogRange, requestTimeout, maxRequestsInFlight,
                    maxRequestsQueued, retry, endpointPool, windowSize, quorum, fees, java.math.BigInteger.ZERO);
        }

        /** What a transfer shows as "confirmations required": N, or 1 for a tag policy (the tag decides). */
        public int confirmations() {
            return finality instanceof io.courier.finality.FinalityPolicy.Confirmations c ? c.n() : 1;
        }
    }

    /** Validator set and this node's keys. {@link #keys} are secrets: never print this record's keys. */
    public record ValidatorSettings(List<String> set, int threshold, List<Secret> keys) {}

    public record SubmitterSettings(
            Optional<Secret> key,
            long maxGasLimit,
            int maxInFlight,
            Duration receiptPollInterval,
            Duration rebroadcastAfter,
            int destinationConfirmations,
            Duration sweepInterval,
            Duration nonceCheckInterval,
            BatchSettings batch) {

        /** Without batching (one message per transaction): what the unit tests of the lone path use. */
        public SubmitterSettings(Optional<Secret> key, long maxGasLimit, int maxInFlight, Duration receiptPollInterval,
                                 Duration rebroadcastAfter, int destinationConfirmations, Duration sweepInterval,
                                 Duration nonceCheckInterval) {
            this(key, maxGasLimit, maxInFlight, receiptPollInterval, rebroadcastAfter, destinationConfirmations, sweepInterval,
                    nonceCheckInterval, BatchSettings.OFF);
        }
    }

    /**
     * How messages share destination transactions (docs/adr/009-batched-delivery.md): at most {@code maxMessages} in
     * one, waiting at most {@code maxWait} for others after one is ready, sized under the gas cap with
     * {@code handlerGasEstimate} per recipient.
     */
    public record BatchSettings(int maxMessages, Duration maxWait, long handlerGasEstimate) {
        public static final BatchSettings OFF = new BatchSettings(1, Duration.ZERO, 0);

        public boolean enabled() {
            return maxMessages > 1;
        }
    }

    /** A private key. Its {@code toString} never shows the value. */
    public record Secret(String source, String hex) {
        @Override
        public String toString() {
            return "Secret[" + source + "]";
        }
    }

    public Optional<ChainSettings> chain(long chainId) {
        return chains.stream().filter(c -> c.chainId() == chainId).findFirst();
    }
}
