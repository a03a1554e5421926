package org.lsg4j.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.lsg4j.LsgException;

class ModelRefTest {
    @Test
    void parsesIdAndRevision() {
        assertEquals(new ModelRef("ccdv/lsg-roberta-base-4096", "main"), ModelRef.parse("ccdv/lsg-roberta-base-4096"));
        assertEquals(new ModelRef("ccdv/lsg", "refs/pr/1"), ModelRef.parse("ccdv/lsg@refs/pr/1"));
        assertEquals(new ModelRef("roberta-base", "v1.0"), ModelRef.parse("roberta-base@v1.0"));
    }

    @Test
    void folderNameIsPythons() {
        assertEquals("models--ccdv--lsg-roberta-base-4096", ModelRef.parse("ccdv/lsg-roberta-base-4096").folderName());
        assertEquals("models--roberta-base", ModelRef.parse("roberta-base").folderName());
    }

    @Test
    void recognisesFullCommitHashes() {
        assertTrue(ModelRef.parse("a/b@0123456789abcdef0123456789abcdef01234567").isCommit());
        assertFalse(ModelRef.parse("a/b@0123456").isCommit());
        assertFalse(ModelRef.parse("a/b").isCommit());
    }

    @Test
    void refusesBadIdsAndRevisions() {
        for (String bad : new String[] {"", "a/b/c", "a--b/c", "a/../b", "/abs", "a/b@", "a/b@../x", "a/b@x/../../y",
                "a/b@/x", "a b/c"}) {
            assertThrows(LsgException.class, () -> ModelRef.parse(bad), bad);
        }
    }
}
