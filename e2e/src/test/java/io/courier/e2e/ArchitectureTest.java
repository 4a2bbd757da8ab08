package io.courier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the shape docs/ARCHITECTURE.md describes: dependencies point inward, no package imports one that imports
 * it back. It reads the production sources of every module (imports and fully qualified names), so a new edge
 * fails here before a reviewer has to spot it.
 */
class ArchitectureTest {

    private static final Path ROOT = Path.of(System.getProperty("courier.root", "..")).toAbsolutePath().normalize();
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern REFERENCE = Pattern.compile("\\b(io\\.courier(?:\\.[a-z0-9]+)+)\\.[A-Z]");

    /** Which Courier modules each module's production code may use (the Maven graph allows no more either). */
    private static final Map<String, Set<String>> MODULES_MAY_USE = Map.of(
            "domain", Set.of(),
            "chain-adapters", Set.of("domain"),
            "finality-tracker", Set.of("domain"),
            "oracle", Set.of("domain"),
            "contracts", Set.of(),
            "testkit", Set.of(),
            "relayer", Set.of("domain", "chain-adapters", "finality-tracker", "oracle"),
            "demo", Set.of("domain", "chain-adapters", "finality-tracker", "oracle", "relayer", "contracts", "testkit"),
            // bench api and bench drain start a node on the demo's network, like the demo
            "bench", Set.of("domain", "chain-adapters", "finality-tracker", "oracle", "relayer", "contracts", "testkit", "demo"),
            // the dApp client stands alone: an application adds it without any of the node's modules
            "client", Set.of());

    /** Inside the node: the pipeline stages (actors) never import the node's outer layer or one another. */
    private static final Set<String> STAGES = Set.of("watch", "attest", "submit", "monitor", "price");
    private static final Set<String> OUTER = Set.of("api", "node", "cli");

    private record Source(String module, String pkg, Set<String> uses) {}

    @Test
    void modulesUseOnlyWhatIsBeneathThem() {
        Map<String, String> moduleOf = new HashMap<>();
        List<Source> sources = sources();
        sources.forEach(s -> moduleOf.put(s.pkg(), s.module()));
        Map<String, Set<String>> violations = new TreeMap<>();
        for (Source s : sources) {
            for (String used : s.uses()) {
                String module = moduleOf.get(used);
                if (module != null && !module.equals(s.module()) && !MODULES_MAY_USE.get(s.module()).contains(module)) {
                    violations.computeIfAbsent(s.pkg() + " (" + s.module() + ")", k -> new TreeSet<>()).add(used + " (" + module + ")");
                }
            }
        }
        assertThat(MODULES_MAY_USE.keySet()).containsAll(moduleOf.values());
        assertThat(violations).as("imports that point outward").isEmpty();
    }

    @Test
    void noPackageImportsOneThatImportsItBack() {
        Map<String, Set<String>> graph = packageGraph();
        List<List<String>> cycles = new ArrayList<>();
        for (String start : graph.keySet()) {
            // a path back to start through the graph is a cycle; report each package's first one
            Deque<List<String>> todo = new ArrayDeque<>();
            todo.push(List.of(start));
            Set<String> seen = new TreeSet<>();
            while (!todo.isEmpty()) {
                List<String> path = todo.pop();
                for (String next : graph.getOrDefault(path.get(path.size() - 1), Set.of())) {
                    if (next.equals(start)) {
                        List<String> cycle = new ArrayList<>(path);
                        cycle.add(start);
                        cycles.add(cycle);
                        todo.clear();
                        break;
                    }
                    if (seen.add(next)) {
                        List<String> longer = new ArrayList<>(path);
                        longer.add(next);
                        todo.push(longer);
                    }
                }
            }
        }
        assertThat(cycles).as("package cycles").isEmpty();
    }

    @Test
    void pipelineStagesImportNeitherTheNodeNorEachOther() {
        Map<String, Set<String>> violations = new TreeMap<>();
        for (Map.Entry<String, Set<String>> e : packageGraph().entrySet()) {
            String own = relayerPart(e.getKey());
            if (own == null || !STAGES.contains(own)) {
                continue;
            }
            for (String used : e.getValue()) {
                String part = relayerPart(used);
                if (part != null && !part.equals(own) && (STAGES.contains(part) || OUTER.contains(part))) {
                    violations.computeIfAbsent(e.getKey(), k -> new TreeSet<>()).add(used);
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void theDomainHasNoIoLibraries() {
        Map<String, Set<String>> found = new TreeMap<>();
        Pattern io = Pattern.compile("^import (org\\.web3j\\.protocol|okhttp3|com\\.datastax|org\\.apache\\.pekko|io\\.prometheus|io\\.opentelemetry)[\\w.]*",
                Pattern.MULTILINE);
        javaFiles(ROOT.resolve("domain/src/main/java")).forEach(file -> {
            Matcher m = io.matcher(read(file));
            while (m.find()) {
                found.computeIfAbsent(ROOT.relativize(file).toString(), k -> new TreeSet<>()).add(m.group());
            }
        });
        assertThat(found).isEmpty();
    }

    private static String relayerPart(String pkg) {
        return pkg.startsWith("io.courier.relayer.") ? pkg.substring("io.courier.relayer.".length()).split("\\.")[0] : null;
    }

    private static Map<String, Set<String>> packageGraph() {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (Source s : sources()) {
            Set<String> uses = graph.computeIfAbsent(s.pkg(), k -> new TreeSet<>());
            s.uses().stream().filter(u -> !u.equals(s.pkg())).forEach(uses::add);
        }
        return graph;
    }

    private static List<Source> sources() {
        List<Source> all = new ArrayList<>();
        for (String module : MODULES_MAY_USE.keySet()) {
            // the contracts module has no hand-written Java: its wrappers are generated from the Solidity
            Path main = ROOT.resolve(module).resolve(module.equals("contracts") ? "target/generated-sources" : "src/main/java");
            if (!module.equals("contracts")) {
                assertThat(main).as("module %s", module).isDirectory();
            }
            javaFiles(main).forEach(file -> {
                String text = read(file);
                Matcher pkg = PACKAGE.matcher(text);
                if (!pkg.find()) {
                    return;
                }
                Set<String> uses = new TreeSet<>();
                Matcher ref = REFERENCE.matcher(text);
                while (ref.find()) {
                    uses.add(ref.group(1));
                }
                all.add(new Source(module, pkg.group(1), uses));
            });
        }
        assertThat(all).hasSizeGreaterThan(100);
        return all;
    }

    private static List<Path> javaFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> p.toString().endsWith(".java")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
