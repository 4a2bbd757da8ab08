package io.courier.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.web3j.crypto.Bip32ECKeyPair;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.MnemonicUtils;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.http.HttpService;

/**
 * A real EVM chain on loopback: Ganache 7.9.2 from the repository's pinned npm package, started as a child
 * process ({@code node .../ganache/dist/node/cli.js}, so the PID is Ganache's own), or the same Ganache image
 * through Testcontainers when a Docker engine answers. Accounts are derived from a fixed mnemonic and funded.
 */
public final class LocalChain implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalChain.class);

    /** Ganache's own deterministic mnemonic: accounts are the same on every run and machine. */
    public static final String MNEMONIC = "myth like bonus scare over problem client lizard pioneer submit female collect";
    public static final String GANACHE_IMAGE = "trufflesuite/ganache:v7.9.2";
    private static final int ACCOUNTS = 10;

    /** How to start a chain. {@code blockTimeSeconds = 0} mines a block per transaction (instamine). */
    public record Options(long chainId, int blockTimeSeconds, int port, String name) {
        public Options {
            if (chainId <= 0) {
                throw new IllegalArgumentException("chainId must be positive, was " + chainId);
            }
            if (blockTimeSeconds < 0) {
                throw new IllegalArgumentException("blockTimeSeconds must be >= 0, was " + blockTimeSeconds);
            }
            name = name == null ? "chain-" + chainId : name;
        }

        public static Options chainId(long chainId) {
            return new Options(chainId, 0, 0, null);
        }

        public Options blockTime(int seconds) {
            return new Options(chainId, seconds, port, name);
        }

        public Options port(int fixedPort) {
            return new Options(chainId, blockTimeSeconds, fixedPort, name);
        }

        public Options name(String newName) {
            return new Options(chainId, blockTimeSeconds, port, newName);
        }
    }

    private final Options options;
    private final String rpcUrl;
    private final AutoCloseable backend;
    private final ChildProcess process; // null when the chain runs in a container
    private final String containerId;   // null when the chain runs as a child process
    private final HttpService http;
    private final Web3j web3j;
    private final Duration startTime;

    private LocalChain(Options options, String rpcUrl, AutoCloseable backend, ChildProcess process, String containerId,
                       Duration startTime) {
        this.options = options;
        this.containerId = containerId;
        this.rpcUrl = rpcUrl;
        this.backend = backend;
        this.process = process;
        this.startTime = startTime;
        this.http = new HttpService(rpcUrl);
        this.web3j = Web3j.build(http);
    }

    /**
     * Starts a chain and returns once it answers {@code eth_chainId} with the configured id. A fixed
     * {@link Options#port} always means a child process: Docker would map the container's port to another one.
     */
    public static LocalChain start(Options options) {
        boolean docker = options.port() == 0
                && Boolean.parseBoolean(System.getProperty("courier.testkit.docker", "true")) && dockerAvailable();
        return docker ? startContainer(options) : startProcess(options);
    }

    public static LocalChain start(long chainId) {
        return start(Options.chainId(chainId));
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static List<String> ganacheArgs(Options options, String host, int port) {
        List<String> args = new ArrayList<>(List.of(
                "--chain.chainId", Long.toString(options.chainId()),
                "--chain.networkId", Long.toString(options.chainId()),
                "--server.host", host,
                "--server.port", Integer.toString(port),
                "--wallet.mnemonic", MNEMONIC,
                "--wallet.totalAccounts", Integer.toString(ACCOUNTS),
                "--wallet.defaultBalance", "1000000"));
        if (options.blockTimeSeconds() > 0) {
            args.addAll(List.of("--miner.blockTime", Integer.toString(options.blockTimeSeconds())));
        }
        return args;
    }

    private static LocalChain startProcess(Options options) {
        Path modules = ProjectLayout.nodeModules();
        Path cli = modules.resolve("ganache/dist/node/cli.js");
        Path work = ProjectLayout.workDir();
        Path watchdog = extractWatchdog(work);
        LocalPartException last = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            int port = options.port() > 0 ? options.port() : freePort();
            List<String> command = new ArrayList<>(List.of(nodeBinary(), "--require", watchdog.toString(), cli.toString()));
            command.addAll(ganacheArgs(options, "127.0.0.1", port));
            Path logFile = work.resolve("ganache-" + options.name() + "-" + port + ".log");
            long t0 = System.nanoTime();
            ChildProcess child = ChildProcess.start("ganache-" + options.name(), command, work, logFile);
            String url = "http://127.0.0.1:" + port;
            try {
                awaitReady(url, options.chainId(), child, Duration.ofSeconds(60));
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                log.info("LocalChain {} (chain id {}) ready at {} in {} ms, pid {}, log {}",
                        options.name(), options.chainId(), url, took.toMillis(), child.pid(), logFile);
                return new LocalChain(options, url, child, child, null, took);
            } catch (LocalPartException e) {
                child.kill();
                last = e;
                if (options.port() > 0) {
                    break; // a fixed port taken by someone else will not free itself
                }
            }
        }
        throw last;
    }

    private static LocalChain startContainer(Options options) {
        long t0 = System.nanoTime();
        List<String> args = ganacheArgs(options, "0.0.0.0", 8545);
        @SuppressWarnings("resource")
        org.testcontainers.containers.GenericContainer<?> container =
                new org.testcontainers.containers.GenericContainer<>(GANACHE_IMAGE)
                        .withExposedPorts(8545)
                        .withCommand(args.toArray(String[]::new));
        container.start();
        String url = "http://" + container.getHost() + ":" + container.getMappedPort(8545);
        awaitReady(url, options.chainId(), null, Duration.ofSeconds(60));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        log.info("LocalChain {} (chain id {}) ready at {} in {} ms (container {})",
                options.name(), options.chainId(), url, took.toMillis(), container.getContainerId());
        return new LocalChain(options, url, container::stop, null, container.getContainerId(), took);
    }

    private static void awaitReady(String url, long chainId, ChildProcess child, Duration timeout) {
        Web3j probe = Web3j.build(new HttpService(url));
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception lastError = null;
        try {
            while (System.nanoTime() < deadline) {
                if (child != null && !child.isAlive()) {
                    throw new LocalPartException("ganache for chain " + chainId + " exited during start; log "
                            + child.logFile() + ":\n" + child.logTail(20));
                }
                try {
                    BigInteger answered = probe.ethChainId().send().getChainId();
                    if (answered != null && answered.longValue() == chainId) {
                        return;
                    }
                    throw new LocalPartException("chain at " + url + " answered chain id " + answered + ", expected " + chainId);
                } catch (IOException e) {
                    lastError = e;
                }
                sleep(100);
            }
        } finally {
            probe.shutdown();
        }
        throw new LocalPartException("chain " + chainId + " at " + url + " not ready within " + timeout
                + (lastError == null ? "" : ": " + lastError.getMessage())
                + (child == null ? "" : "; log " + child.logFile() + ":\n" + child.logTail(20)));
    }

    private static Path extractWatchdog(Path work) {
        try (InputStream in = LocalChain.class.getResourceAsStream("exit-with-parent.js")) {
            Files.createDirectories(work);
            Path target = work.resolve("exit-with-parent.js");
            Files.copy(Objects.requireNonNull(in, "exit-with-parent.js resource"), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new LocalPartException("cannot write the ganache watchdog script under " + work, e);
        }
    }

    private static String nodeBinary() {
        return System.getProperty("courier.node", "node");
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new LocalPartException("no free loopback port", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalPartException("interrupted while waiting for a chain");
        }
    }

    public long chainId() {
        return options.chainId();
    }

    public String name() {
        return options.name();
    }

    public String rpcUrl() {
        return rpcUrl;
    }

    /** A Web3j client on this chain, owned by the chain (shut down by {@link #close}). */
    public Web3j web3j() {
        return web3j;
    }

    /** How long the start took until the chain answered. */
    public Duration startTime() {
        return startTime;
    }

    /** The PID of the Ganache process, or -1 when it runs in a container. */
    public long pid() {
        return process == null ? -1 : process.pid();
    }

    /** The Docker container's id when the chain runs in one (then {@link #pid()} is -1), else empty. */
    public java.util.Optional<String> containerId() {
        return java.util.Optional.ofNullable(containerId);
    }

    public boolean isRunning() {
        return process == null || process.isAlive();
    }

    /** Funded account {@code index} (0..9) of the deterministic wallet. */
    public static Credentials account(int index) {
        if (index < 0 || index >= ACCOUNTS) {
            throw new IllegalArgumentException("account index must be 0.." + (ACCOUNTS - 1) + ", was " + index);
        }
        byte[] seed = MnemonicUtils.generateSeed(MNEMONIC, "");
        Bip32ECKeyPair master = Bip32ECKeyPair.generateKeyPair(seed);
        int[] path = {44 | Bip32ECKeyPair.HARDENED_BIT, 60 | Bip32ECKeyPair.HARDENED_BIT, Bip32ECKeyPair.HARDENED_BIT, 0, index};
        return Credentials.create(Bip32ECKeyPair.deriveKeyPair(master, path));
    }

    /** Current block number. */
    public long blockNumber() {
        return call("eth_blockNumber", List.of()).map(Object::toString).map(LocalChain::hexToLong).orElseThrow();
    }

    /** Mines {@code blocks} empty blocks. */
    public void mine(int blocks) {
        for (int i = 0; i < blocks; i++) {
            call("evm_mine", List.of());
        }
    }

    /** Takes a snapshot; the id is single use. */
    public String snapshot() {
        return call("evm_snapshot", List.of()).map(Object::toString).orElseThrow();
    }

    /** Reverts to a snapshot: the blocks after it leave the chain (a real reorg once other blocks are mined). */
    public void revert(String snapshotId) {
        Object reverted = call("evm_revert", List.of(snapshotId)).orElse(Boolean.FALSE);
        if (!Boolean.TRUE.equals(reverted)) {
            throw new LocalPartException("chain " + chainId() + ": evm_revert " + snapshotId + " refused");
        }
    }

    /** Stops block production (transactions wait in the pool). */
    public void stopMining() {
        call("miner_stop", List.of());
    }

    public void startMining() {
        call("miner_start", List.of());
    }

    /** Any JSON-RPC call; the result is Jackson's view of {@code result}. */
    public java.util.Optional<Object> call(String method, List<?> params) {
        try {
            Response<?> response = new Request<>(method, params, http, RawResponse.class).send();
            if (response.hasError()) {
                throw new LocalPartException("chain " + chainId() + ": " + method + " failed: " + response.getError().getMessage());
            }
            return java.util.Optional.ofNullable(response.getResult());
        } catch (IOException e) {
            throw new LocalPartException("chain " + chainId() + ": " + method + " failed: " + e.getMessage(), e);
        }
    }

    private static long hexToLong(String hex) {
        return Long.parseLong(hex.startsWith("0x") ? hex.substring(2) : hex, 16);
    }

    /** Response whose result is whatever JSON came back. */
    public static final class RawResponse extends Response<Object> {}

    @Override
    public void close() {
        web3j.shutdown();
        try {
            backend.close();
        } catch (Exception e) {
            log.warn("LocalChain {}: stopping failed: {}", options.name(), e.toString());
        }
    }

    @Override
    public String toString() {
        return "LocalChain[" + options.name() + ", chainId=" + options.chainId() + ", " + rpcUrl + "]";
    }
}
