package org.lsg4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.lsg4j.io.SafeTensors;
import org.lsg4j.model.NamedInputs;

import java.nio.file.Path;
import java.util.Set;

/** A safetensors file, header and data: every tensor is read, then the file as forward inputs. */
class SafeTensorsFuzzTest {
    private static final Path DIR = Fuzzing.scratch("safetensors");

    @FuzzTest(maxDuration = "5s")
    void safetensors(byte[] data) {
        Path file = Fuzzing.write(DIR, "x.safetensors", data);
        Fuzzing.run(() -> {
            try (SafeTensors st = SafeTensors.open(file)) {
                for (String name : st.names()) {
                    if (st.info(name).dtype().isFloating()) {
                        st.floats(name);
                    } else {
                        st.longs(name);
                    }
                }
                NamedInputs.read(st);
            }
        });
        Fuzzing.assertOnly(DIR, Set.of("x.safetensors"));
    }
}
