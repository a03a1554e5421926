package org.lsg4j.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsg4j.LsgException;

class HubEnvironmentTest {
    @TempDir
    Path home;

    private HubEnvironment env(String... pairs) {
        java.util.HashMap<String, String> vars = new java.util.HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            vars.put(pairs[i], pairs[i + 1]);
        }
        return HubEnvironment.of(vars, home);
    }

    @Test
    void cacheDirFollowsHuggingfaceHubPrecedence() {
        assertEquals(home.resolve(".cache/huggingface/hub"), env().cacheDir());
        assertEquals(Path.of("/xdg/huggingface/hub"), env("XDG_CACHE_HOME", "/xdg").cacheDir());
        assertEquals(Path.of("/hf/hub"), env("XDG_CACHE_HOME", "/xdg", "HF_HOME", "/hf").cacheDir());
        assertEquals(Path.of("/legacy"), env("HF_HOME", "/hf", "HUGGINGFACE_HUB_CACHE", "/legacy").cacheDir());
        assertEquals(Path.of("/direct"),
                env("HF_HOME", "/hf", "HUGGINGFACE_HUB_CACHE", "/legacy", "HF_HUB_CACHE", "/direct").cacheDir());
    }

    @Test
    void pathsExpandTildeAndVariables() {
        assertEquals(home.resolve("models/hub"), env("HF_HOME", "~/models").cacheDir());
        assertEquals(Path.of("/data/hf/hub"), env("BASE", "/data", "HF_HOME", "${BASE}/hf").cacheDir());
        assertEquals(Path.of("/data/c"), env("BASE", "/data", "HF_HUB_CACHE", "$BASE/c").cacheDir());
    }

    @Test
    void emptyVariablesCountAsUnset() {
        assertEquals(home.resolve(".cache/huggingface/hub"), env("HF_HUB_CACHE", "", "HF_HOME", "").cacheDir());
    }

    @Test
    void offlineAcceptsPythonsTrueValues() {
        for (String yes : new String[] {"1", "true", "TRUE", "yes", "on", "On"}) {
            assertTrue(env("HF_HUB_OFFLINE", yes).offline(), yes);
        }
        for (String no : new String[] {"0", "false", "no", "off", "2"}) {
            assertFalse(env("HF_HUB_OFFLINE", no).offline(), no);
        }
        assertFalse(env().offline());
        assertTrue(env("TRANSFORMERS_OFFLINE", "1").offline());
        assertFalse(env("HF_HUB_OFFLINE", "0", "TRANSFORMERS_OFFLINE", "1").offline(),
                "as in Python, a set HF_HUB_OFFLINE wins over TRANSFORMERS_OFFLINE");
    }

    @Test
    void endpointDefaultsAndLosesTrailingSlashes() {
        assertEquals(URI.create("https://huggingface.co"), env().endpoint());
        assertEquals(URI.create("http://mirror.local:8080"), env("HF_ENDPOINT", "http://mirror.local:8080//").endpoint());
        HubEnvironment bad = env("HF_ENDPOINT", "mirror.local");   // a local command still runs
        assertThrows(LsgException.class, bad::endpoint);
    }

    @Test
    void tokenComesFromVariablesThenTokenFile() throws IOException {
        Files.createDirectories(home.resolve("hf"));
        Files.writeString(home.resolve("hf/token"), "  hf_from_file\n");
        Files.writeString(home.resolve("other-token"), "hf_from_path\n");

        assertEquals(Optional.empty(), env().token());
        assertEquals(Optional.of("hf_from_file"), env("HF_HOME", home.resolve("hf").toString()).token());
        assertEquals(Optional.of("hf_from_path"), env("HF_HOME", home.resolve("hf").toString(),
                "HF_TOKEN_PATH", home.resolve("other-token").toString()).token());
        assertEquals(Optional.of("hf_env"), env("HF_HOME", home.resolve("hf").toString(), "HF_TOKEN", " hf_env ").token());
        assertEquals(Optional.of("hf_old"), env("HUGGING_FACE_HUB_TOKEN", "hf_old").token());
        assertEquals(Optional.empty(), env("HF_TOKEN", "hf_env", "HF_HUB_DISABLE_IMPLICIT_TOKEN", "1").token());
    }

    @Test
    void toStringHidesTheToken() {
        String text = env("HF_TOKEN", "hf_secret").toString();
        assertFalse(text.contains("hf_secret"), text);
        assertTrue(text.contains("token=set"), text);
    }

    @Test
    void copiesChangeOneSetting() {
        HubEnvironment base = env("HF_TOKEN", "t");
        HubEnvironment offline = base.withOffline(true);
        assertTrue(offline.offline());
        assertFalse(base.offline());
        assertEquals(base.token(), offline.token());
        assertEquals(Path.of("/elsewhere"), base.withCacheDir(Path.of("/elsewhere")).cacheDir());
        assertEquals(URI.create("http://x:1"), base.withEndpoint(URI.create("http://x:1/")).endpoint());
    }
}
