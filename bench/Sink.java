import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpServer;

/**
 * The benchmark's delivery sink: answers 200 to every POST and counts requests and distinct Idempotency-Keys;
 * GET /count answers "requests distinct". Run with: java bench/Sink.java PORT
 */
public class Sink {
    public static void main(String[] args) throws IOException {
        AtomicLong requests = new AtomicLong();
        Set<String> keys = ConcurrentHashMap.newKeySet();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 512);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            byte[] body;
            if ("GET".equals(exchange.getRequestMethod())) {
                body = (requests.get() + " " + keys.size()).getBytes(StandardCharsets.UTF_8);
            } else {
                requests.incrementAndGet();
                String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
                if (key != null) {
                    keys.add(key);
                }
                body = "{}".getBytes(StandardCharsets.UTF_8);
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        System.out.println("sink listening on 127.0.0.1:" + args[0]);
    }
}
