package org.newsgraph.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

/**
 * Neo4j Community, embedded, with Bolt on a loopback port: newsgraph's local
 * server for development and CI.
 *
 * <pre>
 * java -jar newsgraph-neo4j-launcher.jar --data DIR [--port 7687] [--host 127.0.0.1]
 *      [--password PW] [--pagecache 256m]
 * </pre>
 *
 * Without a password authentication is off (the server only listens on
 * loopback); with one (--password, or else the NEWSGRAPH_NEO4J_PASSWORD
 * environment variable), user neo4j gets it. Prints one line starting
 * with "READY " once Bolt accepts connections, and shuts the database down
 * cleanly on SIGTERM or Ctrl-C.
 */
public final class Launcher {
    static final String READY = "READY";
    /** Read when --password is not given, so the password need not show in `ps`. */
    static final String PASSWORD_ENV = "NEWSGRAPH_NEO4J_PASSWORD";

    private Launcher() {
    }

    public static void main(String[] args) {
        Map<String, String> opts;
        try {
            opts = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println("usage: --data DIR [--port 7687] [--host 127.0.0.1] [--password PW] [--pagecache 256m]");
            System.exit(2);
            return;
        }
        String host = opts.getOrDefault("host", "127.0.0.1");
        int port = Integer.parseInt(opts.getOrDefault("port", "7687"));
        String password = opts.getOrDefault("password", System.getenv(PASSWORD_ENV));
        if (password != null && password.isEmpty()) {
            password = null;
        }
        Path home = Path.of(opts.get("data")).toAbsolutePath();

        SocketAddress bolt = new SocketAddress(host, port);
        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, bolt)
                .setConfig(BoltConnector.advertised_address, bolt)
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(GraphDatabaseSettings.auth_enabled, password != null)
                .setConfig(GraphDatabaseSettings.pagecache_memory, parseBytes(opts.getOrDefault("pagecache", "256m")))
                // tests clear and refill the graph many times: keep few old transaction logs
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "2 files")
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                // Bolt waits 5 s twice for idle connections on shutdown; a dev server need not
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1));

        DatabaseManagementService dbms;
        try {
            dbms = builder.build();
        } catch (RuntimeException e) {
            System.err.println("error: Neo4j did not start: " + rootMessage(e));
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                dbms.shutdown();
                System.out.println("STOPPED");
                System.out.flush();
            } finally {
                stopped.countDown();
            }
        }, "newsgraph-neo4j-shutdown"));

        if (password != null) {
            setPassword(dbms, password);
        }
        System.out.println(READY + " bolt://" + host + ":" + port + " home=" + home);
        System.out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Give user neo4j the password, without the forced change on first login. */
    private static void setPassword(DatabaseManagementService dbms, String password) {
        GraphDatabaseService system = dbms.database("system");
        try {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
        } catch (RuntimeException e) {
            // a restart with the same password: Neo4j refuses "old and new password are the same"
            if (!rootMessage(e).toLowerCase().contains("same")) {
                System.err.println("error: cannot set the password: " + rootMessage(e));
                dbms.shutdown();
                System.exit(1);
            }
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("unexpected argument " + a);
            }
            String name = a.substring(2);
            if (!Set.of("data", "port", "host", "password", "pagecache").contains(name)) {
                throw new IllegalArgumentException("unknown option " + a);
            }
            out.put(name, args[++i]);
        }
        if (!out.containsKey("data")) {
            throw new IllegalArgumentException("--data DIR is required");
        }
        return out;
    }

    /** "256m", "1g" or a plain number of bytes. */
    private static long parseBytes(String text) {
        String t = text.trim().toLowerCase();
        long unit = 1;
        char last = t.charAt(t.length() - 1);
        if (last == 'k' || last == 'm' || last == 'g') {
            unit = last == 'k' ? 1L << 10 : last == 'm' ? 1L << 20 : 1L << 30;
            t = t.substring(0, t.length() - 1);
        }
        return Long.parseLong(t) * unit;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
