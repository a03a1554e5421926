package org.lsg4j.hub;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.lsg4j.LsgException;
import org.lsg4j.io.InputFiles;
import org.lsg4j.io.Limits;

/**
 * Where the Hub cache lives and how to reach the Hub, decided from environment variables the way
 * {@code huggingface_hub} decides it.
 *
 * <ul>
 *   <li>cache folder: {@code HF_HUB_CACHE}, else {@code HUGGINGFACE_HUB_CACHE}, else
 *       {@code HF_HOME/hub}, else {@code XDG_CACHE_HOME/huggingface/hub}, else
 *       {@code ~/.cache/huggingface/hub};
 *   <li>offline: {@code HF_HUB_OFFLINE}, else {@code TRANSFORMERS_OFFLINE}, set to {@code 1},
 *       {@code true}, {@code yes} or {@code on} in any case;
 *   <li>endpoint: {@code HF_ENDPOINT}, else {@code https://huggingface.co};
 *   <li>token: {@code HF_TOKEN}, else {@code HUGGING_FACE_HUB_TOKEN}, else the file at
 *       {@code HF_TOKEN_PATH}, else {@code HF_HOME/token}; none is sent when
 *       {@code HF_HUB_DISABLE_IMPLICIT_TOKEN} is true.
 * </ul>
 *
 * <p>Paths may start with {@code ~} and hold {@code $VAR} or {@code ${VAR}}, expanded as Python
 * does. An empty variable counts as unset. Instances are immutable; {@link #toString()} never shows
 * the token.
 *
 * <p>A malformed {@code HF_ENDPOINT} or token is reported only when the Hub is used, so that a
 * command on a local folder still runs; the token itself never appears in a message.
 */
public final class HubEnvironment {
    /** The public Hub. */
    public static final URI DEFAULT_ENDPOINT = URI.create("https://huggingface.co");

    private static final Set<String> TRUE_VALUES = Set.of("1", "ON", "YES", "TRUE");
    private static final Pattern VARIABLE = Pattern.compile("\\$(\\w+|\\{([^}]*)})");

    private final Path cacheDir;
    private final URI endpoint;            // null when endpointError says why
    private final String endpointError;
    private final boolean offline;
    private final String token;
    private final String tokenError;       // why the token cannot be used, or null

    private HubEnvironment(Path cacheDir, URI endpoint, String endpointError, boolean offline, String token,
                           String tokenError) {
        this.cacheDir = cacheDir;
        this.endpoint = endpoint;
        this.endpointError = endpointError;
        this.offline = offline;
        this.token = token;
        this.tokenError = tokenError;
    }

    /** Reads the settings of this process: {@link System#getenv()} and the user's home folder. */
    public static HubEnvironment system() {
        return of(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /**
     * Reads the settings from the given variables.
     *
     * @param env the environment variables to use instead of the process environment
     * @param home the folder {@code ~} stands for
     */
    public static HubEnvironment of(Map<String, String> env, Path home) {
        Map<String, String> vars = Map.copyOf(env);
        Path hfHome = firstPath(vars, home, "HF_HOME")
                .orElseGet(() -> firstPath(vars, home, "XDG_CACHE_HOME")
                        .orElse(home.resolve(".cache"))
                        .resolve("huggingface"));
        Path cacheDir = firstPath(vars, home, "HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE")
                .orElse(hfHome.resolve("hub"));
        boolean offline = isTrue(first(vars, "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"));
        URI endpoint = DEFAULT_ENDPOINT;
        String endpointError = null;
        try {
            endpoint = first(vars, "HF_ENDPOINT").map(HubEnvironment::endpointUri).orElse(DEFAULT_ENDPOINT);
        } catch (LsgException e) {
            endpoint = null;
            endpointError = e.getMessage();
        }
        String token = null;
        String tokenError = null;
        if (!isTrue(first(vars, "HF_HUB_DISABLE_IMPLICIT_TOKEN"))) {
            Path tokenFile = firstPath(vars, home, "HF_TOKEN_PATH").orElse(hfHome.resolve("token"));
            Optional<String> given = first(vars, "HF_TOKEN", "HUGGING_FACE_HUB_TOKEN").map(String::strip);
            String from = given.isPresent() ? "HF_TOKEN" : "the token file " + tokenFile;
            try {
                token = given.or(() -> readToken(tokenFile)).filter(t -> !t.isEmpty()).orElse(null);
                if (token != null && !token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                    token = null;
                    tokenError = from + " holds a space, control or non-ASCII character; a Hub token is printable"
                            + " ASCII (the token is not shown)";
                }
            } catch (LsgException e) {
                tokenError = e.getMessage();
            }
        }
        return new HubEnvironment(cacheDir.toAbsolutePath().normalize(), endpoint, endpointError, offline, token,
                tokenError);
    }

    /** The cache folder that holds one {@code models--org--name} folder per model. */
    public Path cacheDir() {
        return cacheDir;
    }

    /**
     * The Hub's base address, without a trailing slash.
     *
     * @throws LsgException when HF_ENDPOINT is not an absolute http(s) address
     */
    public URI endpoint() {
        if (endpoint == null) {
            throw new LsgException(endpointError);
        }
        return endpoint;
    }

    /** Whether the network must not be used at all. */
    public boolean offline() {
        return offline;
    }

    /**
     * The access token sent as {@code Authorization: Bearer}, if any.
     *
     * @throws LsgException when the token given cannot be sent (it is never shown)
     */
    public Optional<String> token() {
        if (tokenError != null) {
            throw new LsgException(tokenError);
        }
        return Optional.ofNullable(token);
    }

    /** A copy with offline mode switched on or off, for a command-line flag that overrides it. */
    public HubEnvironment withOffline(boolean offline) {
        return new HubEnvironment(cacheDir, endpoint, endpointError, offline, token, tokenError);
    }

    /** A copy that keeps its cache in another folder. */
    public HubEnvironment withCacheDir(Path cacheDir) {
        return new HubEnvironment(cacheDir.toAbsolutePath().normalize(), endpoint, endpointError, offline, token,
                tokenError);
    }

    /** A copy that talks to another Hub, such as a mirror. */
    public HubEnvironment withEndpoint(URI endpoint) {
        return new HubEnvironment(cacheDir, endpointUri(endpoint.toString()), null, offline, token, tokenError);
    }

    @Override
    public String toString() {
        return "HubEnvironment[cacheDir=" + cacheDir + ", endpoint=" + (endpoint == null ? "invalid" : endpoint)
                + ", offline=" + offline + ", token=" + (tokenError != null ? "invalid" : token == null ? "none" : "set")
                + "]";
    }

    private static boolean isTrue(Optional<String> value) {
        return value.map(v -> TRUE_VALUES.contains(v.strip().toUpperCase(Locale.ROOT))).orElse(false);
    }

    private static Optional<String> first(Map<String, String> vars, String... names) {
        for (String name : names) {
            String value = vars.get(name);
            if (value != null && !value.isEmpty()) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> firstPath(Map<String, String> vars, Path home, String... names) {
        return first(vars, names).map(value -> Path.of(expand(value, vars, home)));
    }

    /** Expands a leading {@code ~} and then {@code $VAR} / {@code ${VAR}}; unknown variables stay as written. */
    private static String expand(String value, Map<String, String> vars, Path home) {
        String path = value;
        if (path.equals("~") || path.startsWith("~/")) {
            path = home + path.substring(1);
        }
        Matcher m = VARIABLE.matcher(path);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(2) != null ? m.group(2) : m.group(1);
            m.appendReplacement(out, Matcher.quoteReplacement(vars.getOrDefault(name, m.group())));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static URI endpointUri(String value) {
        String trimmed = value.strip();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null || !("http".equalsIgnoreCase(uri.getScheme())
                || "https".equalsIgnoreCase(uri.getScheme()))) {
            throw new LsgException("HF_ENDPOINT must be an absolute http(s) address, got '" + LsgException.excerpt(value) + "'");
        }
        return uri;
    }

    /** The token file's text; empty when there is no such file. */
    private static Optional<String> readToken(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        return Optional.of(InputFiles.readUtf8(file, Limits.SMALL_FILE_BYTES, "token file").strip());
    }
}
