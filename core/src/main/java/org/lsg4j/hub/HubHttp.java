package org.lsg4j.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.lsg4j.Version;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.lsg4j.LsgException;

/**
 * The requests lsg4j makes to the Hub. Redirects are followed by hand: relative ones (a renamed
 * repository) always, absolute ones (a CDN) only when fetching bytes, and the token is only ever
 * sent to the endpoint itself. One instance serves one {@link Hub} call and is then closed.
 */
final class HubHttp implements AutoCloseable {
    private static final int MAX_REDIRECTS = 10;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SAFE_ETAG = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]*");

    private final HubEnvironment env;
    private final HttpClient client;

    HubHttp(HubEnvironment env) {
        this.env = env;
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(CONNECT_TIMEOUT)
                .build();
    }

    /** Asks {@code /api/models/{id}/revision/{revision}} for the commit and the file list. */
    RepoRevision revision(ModelRef ref) throws IOException {
        URI uri = URI.create(env.endpoint() + "/api/models/" + ref.repoId() + "/revision/"
                + encode(ref.revision(), false));
        HttpResponse<byte[]> response = send("GET", uri, Map.of(), HttpResponse.BodyHandlers.ofByteArray(), false);
        if (response.statusCode() != 200) {
            throw HubErrors.of(response, ref, null, env.token().isPresent());
        }
        JsonNode body = JSON.readTree(response.body());
        String commit = body.path("sha").asText("");
        if (!ModelRef.isCommitHash(commit)) {
            throw new LsgException("The Hub answered without a commit hash (\"sha\") for " + ref + " at " + uri);
        }
        List<String> files = new ArrayList<>();
        for (JsonNode sibling : body.path("siblings")) {
            String name = sibling.path("rfilename").asText("");
            if (!name.isEmpty()) {
                files.add(name);
            }
        }
        return new RepoRevision(commit, files);
    }

    /**
     * Asks {@code HEAD {endpoint}/{id}/resolve/{revision}/{file}} for the commit, ETag, size and
     * download location of a file.
     *
     * @throws MissingFileException when the repository exists but the file does not
     */
    FileMetadata metadata(ModelRef ref, String file) throws IOException {
        URI uri = resolveUri(ref, file);
        HttpResponse<Void> response = send("HEAD", uri, Map.of("Accept-Encoding", "identity"),
                HttpResponse.BodyHandlers.discarding(), false);
        int status = response.statusCode();
        boolean redirected = status >= 300 && status < 400 && response.headers().firstValue("Location").isPresent();
        if (status != 200 && !redirected) {
            throw HubErrors.of(response, ref, file, env.token().isPresent());
        }
        var headers = response.headers();
        String commit = headers.firstValue("X-Repo-Commit").orElse(null);
        String etag = headers.firstValue("X-Linked-Etag").or(() -> headers.firstValue("ETag"))
                .map(FileMetadata::normalizeEtag).filter(e -> !e.isEmpty()).orElse(null);
        if (commit == null || etag == null) {
            throw new LsgException("The answer for " + uri + " has no " + (commit == null ? "X-Repo-Commit" : "ETag")
                    + " header; is " + env.endpoint() + " a Hugging Face Hub (HF_ENDPOINT)?");
        }
        if (!SAFE_ETAG.matcher(etag).matches()) {
            throw new LsgException("The ETag '" + etag + "' sent for " + uri + " cannot name a file in the cache");
        }
        long size = headers.firstValue("X-Linked-Size").or(() -> headers.firstValue("Content-Length"))
                .map(HubHttp::parseSize).orElse(-1L);
        URI location = redirected ? toUri(headers.firstValue("Location").orElseThrow(), response.uri())
                : response.uri();
        return new FileMetadata(commit, etag, size, location);
    }

    /**
     * Starts fetching bytes from {@code offset} on. The answer is 200 (the whole file), 206 (from
     * the offset on) or 416 (the offset is past the end); any other status is thrown.
     */
    HttpResponse<InputStream> download(URI location, long offset, ModelRef ref, String file) throws IOException {
        Map<String, String> headers = offset > 0 ? Map.of("Range", "bytes=" + offset + "-") : Map.of();
        HttpResponse<InputStream> response = send("GET", location, headers, HttpResponse.BodyHandlers.ofInputStream(),
                true);
        int status = response.statusCode();
        if (status == 200 || status == 206 || status == 416) {
            return response;
        }
        response.body().close();
        throw HubErrors.of(response, ref, file, env.token().isPresent());
    }

    @Override
    public void close() {
        client.close();
    }

    private <T> HttpResponse<T> send(String method, URI uri, Map<String, String> headers,
            HttpResponse.BodyHandler<T> handler, boolean followAbsolute) throws IOException {
        URI current = uri;
        for (int redirects = 0; ; redirects++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(current)
                    .method(method, HttpRequest.BodyPublishers.noBody())
                    .timeout(RESPONSE_TIMEOUT)
                    .header("User-Agent", "lsg4j/" + Version.version());
            headers.forEach(request::header);
            if (sameOrigin(current, env.endpoint())) {
                env.token().ifPresent(token -> request.header("Authorization", "Bearer " + token));
            }
            HttpResponse<T> response = sendOnce(request.build(), handler);
            int status = response.statusCode();
            String location = response.headers().firstValue("Location").orElse(null);
            if (status < 300 || status >= 400 || location == null) {
                return response;
            }
            URI target = toUri(location, current);
            if (!followAbsolute && URI.create(location).getHost() != null) {
                return response;
            }
            if (response.body() instanceof InputStream body) {
                body.close();
            }
            if (redirects == MAX_REDIRECTS) {
                throw new LsgException("Too many redirects starting from " + uri);
            }
            current = target;
        }
    }

    private <T> HttpResponse<T> sendOnce(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException {
        try {
            return client.send(request, handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for " + request.uri());
        }
    }

    private URI resolveUri(ModelRef ref, String file) {
        return URI.create(env.endpoint() + "/" + ref.repoId() + "/resolve/" + encode(ref.revision(), false) + "/"
                + encode(file, true));
    }

    private static URI toUri(String location, URI base) {
        try {
            return base.resolve(URI.create(location));
        } catch (IllegalArgumentException e) {
            throw new LsgException("The Hub redirected " + base + " to an unusable address: " + location);
        }
    }

    private static boolean sameOrigin(URI a, URI b) {
        return Objects.equals(a.getScheme(), b.getScheme()) && Objects.equals(a.getHost(), b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static long parseSize(String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Percent-encodes UTF-8 bytes outside {@code A-Z a-z 0-9 - _ . ~} (and {@code /} if kept). */
    static String encode(String text, boolean keepSlash) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            boolean plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~' || (keepSlash && c == '/');
            if (plain) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }
}
