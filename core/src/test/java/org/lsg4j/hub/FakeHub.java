package org.lsg4j.hub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * A tiny stand-in for the Hugging Face Hub on 127.0.0.1: the revision API, {@code resolve} with the
 * Hub's headers, LFS files redirected to a second server that plays the CDN, relative redirects for
 * renamed repositories, Range requests, and the Hub's error codes. Records every request.
 */
public final class FakeHub implements AutoCloseable {
    /** One request as the server saw it. */
    public record Request(String server, String method, String path, String authorization, String range, String userAgent) {
    }

    /** One repository: files by name, the names stored in LFS, and its branches. */
    public record Repo(String commit, Map<String, byte[]> files, Set<String> lfs, Set<String> branches) {
    }

    private final HttpServer hub;
    private final HttpServer cdn;
    private final Map<String, Repo> repos = new ConcurrentHashMap<>();
    private final Map<String, String> renamed = new ConcurrentHashMap<>();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private final Map<String, byte[]> cdnBlobs = new ConcurrentHashMap<>();
    private final Map<String, byte[]> tampered = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile boolean honorRanges = true;
    private volatile boolean weakEtags;

    public FakeHub() throws IOException {
        hub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        cdn = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        hub.createContext("/", exchange -> handle(exchange, this::serveHub));
        cdn.createContext("/", exchange -> handle(exchange, this::serveCdn));
        hub.start();
        cdn.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + hub.getAddress().getPort());
    }

    public void addRepo(String id, Repo repo) {
        repos.put(id, repo);
        repo.lfs().forEach(name -> cdnBlobs.put(sha256(repo.files().get(name)), repo.files().get(name)));
    }

    void rename(String oldId, String newId) {
        renamed.put(oldId, newId);
    }

    /** Makes every request about the repository fail with the status (403 comes as a gated repository). */
    void fail(String id, int status) {
        failures.put(id, status);
    }

    void honorRanges(boolean honor) {
        honorRanges = honor;
    }

    /** From now on, sends these bytes as the body of the file (its headers, the ETag among them, unchanged). */
    public void tamper(String id, String file, byte[] body) {
        Repo repo = repos.get(id);
        if (repo.lfs().contains(file)) {
            cdnBlobs.put(sha256(repo.files().get(file)), body);
        } else {
            tampered.put(id + "/" + file, body);
        }
    }

    void weakEtags(boolean weak) {
        weakEtags = weak;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The ETag the Hub gives a file: sha256 of LFS files, else the git blob id. */
    public static String etagOf(Repo repo, String file) {
        byte[] content = repo.files().get(file);
        return repo.lfs().contains(file) ? sha256(content) : gitBlobId(content);
    }

    static String sha256(byte[] content) {
        return hex("SHA-256", content);
    }

    static String gitBlobId(byte[] content) {
        byte[] header = ("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(header, header.length + content.length);
        System.arraycopy(content, 0, all, header.length, content.length);
        return hex("SHA-1", all);
    }

    @Override
    public void close() {
        hub.stop(0);
        cdn.stop(0);
    }

    private interface Handler {
        void serve(HttpExchange exchange) throws IOException;
    }

    private void handle(HttpExchange exchange, Handler handler) throws IOException {
        try (exchange) {
            var headers = exchange.getRequestHeaders();
            requests.add(new Request(exchange.getHttpContext().getServer() == hub ? "hub" : "cdn",
                    exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    headers.getFirst("Authorization"), headers.getFirst("Range"), headers.getFirst("User-Agent")));
            handler.serve(exchange);
        }
    }

    private void serveHub(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        if (path.startsWith("/api/models/")) {
            String rest = path.substring("/api/models/".length());
            int cut = rest.indexOf("/revision/");
            serveRevision(exchange, rest.substring(0, cut), decode(rest.substring(cut + "/revision/".length())));
            return;
        }
        String[] parts = path.substring(1).split("/", 5);
        if (parts.length == 5 && parts[2].equals("resolve")) {
            serveResolve(exchange, parts[0] + "/" + parts[1], decode(parts[3]), decode(parts[4]), path);
            return;
        }
        send(exchange, 404, Map.of(), new byte[0]);
    }

    private void serveRevision(HttpExchange exchange, String id, String revision) throws IOException {
        if (failures.containsKey(id)) {
            int status = failures.get(id);
            send(exchange, status, status == 403 ? Map.of("X-Error-Code", "GatedRepo") : Map.of(), new byte[0]);
            return;
        }
        Repo repo = repos.get(id);
        if (repo == null) {
            send(exchange, 401, Map.of("X-Error-Code", "RepoNotFound"), new byte[0]);
            return;
        }
        if (!knows(repo, revision)) {
            send(exchange, 404, Map.of("X-Error-Code", "RevisionNotFound"), new byte[0]);
            return;
        }
        String siblings = repo.files().keySet().stream()
                .map(name -> "{\"rfilename\":\"" + name + "\"}")
                .collect(Collectors.joining(","));
        String json = "{\"id\":\"" + id + "\",\"sha\":\"" + repo.commit() + "\",\"siblings\":[" + siblings + "]}";
        send(exchange, 200, Map.of("Content-Type", "application/json"), json.getBytes(StandardCharsets.UTF_8));
    }

    private void serveResolve(HttpExchange exchange, String id, String revision, String file, String path)
            throws IOException {
        if (renamed.containsKey(id)) {
            send(exchange, 307, Map.of("Location", path.replace("/" + id + "/", "/" + renamed.get(id) + "/")),
                    new byte[0]);
            return;
        }
        Repo repo = repos.get(id);
        if (repo == null) {
            send(exchange, 401, Map.of("X-Error-Code", "RepoNotFound"), new byte[0]);
            return;
        }
        if (!knows(repo, revision)) {
            send(exchange, 404, Map.of("X-Error-Code", "RevisionNotFound"), new byte[0]);
            return;
        }
        byte[] content = repo.files().get(file);
        if (content == null) {
            send(exchange, 404, Map.of("X-Error-Code", "EntryNotFound", "X-Repo-Commit", repo.commit()), new byte[0]);
            return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Repo-Commit", repo.commit());
        if (repo.lfs().contains(file)) {
            String sha = sha256(content);
            headers.put("ETag", "\"" + gitBlobId(("version https://git-lfs pointer " + sha).getBytes()) + "\"");
            headers.put("X-Linked-Etag", "\"" + sha + "\"");
            headers.put("X-Linked-Size", Long.toString(content.length));
            headers.put("Location", "http://127.0.0.1:" + cdn.getAddress().getPort() + "/blobs/" + sha);
            send(exchange, 302, headers, new byte[0]);
            return;
        }
        String etag = "\"" + gitBlobId(content) + "\"";
        headers.put("ETag", weakEtags ? "W/" + etag : etag);
        serveBytes(exchange, headers, tampered.getOrDefault(id + "/" + file, content));
    }

    private void serveCdn(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        byte[] content = path.startsWith("/blobs/") ? cdnBlobs.get(path.substring("/blobs/".length())) : null;
        if (content == null) {
            send(exchange, 404, Map.of(), new byte[0]);
            return;
        }
        serveBytes(exchange, new LinkedHashMap<>(), content);
    }

    private void serveBytes(HttpExchange exchange, Map<String, String> headers, byte[] content) throws IOException {
        String range = exchange.getRequestHeaders().getFirst("Range");
        if (range != null && honorRanges && range.startsWith("bytes=") && range.endsWith("-")) {
            int from = Integer.parseInt(range.substring("bytes=".length(), range.length() - 1));
            if (from >= content.length) {
                headers.put("Content-Range", "bytes */" + content.length);
                send(exchange, 416, headers, new byte[0]);
                return;
            }
            headers.put("Content-Range", "bytes " + from + "-" + (content.length - 1) + "/" + content.length);
            send(exchange, 206, headers, Arrays.copyOfRange(content, from, content.length));
            return;
        }
        send(exchange, 200, headers, content);
    }

    private static boolean knows(Repo repo, String revision) {
        return repo.commit().equals(revision) || repo.branches().contains(revision);
    }

    private static void send(HttpExchange exchange, int status, Map<String, String> headers, byte[] body)
            throws IOException {
        headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        boolean head = exchange.getRequestMethod().equals("HEAD");
        if (head) {
            exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
        }
        exchange.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String hex(String algorithm, byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
