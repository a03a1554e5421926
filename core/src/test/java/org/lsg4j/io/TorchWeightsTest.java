package org.lsg4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsg4j.LsgException;
import org.lsg4j.tensor.FloatTensor;

class TorchWeightsTest {
    static final Path CASE = SafeTensorsTest.FIXTURES.resolve("norm-f2-base-long-hidden");

    @TempDir
    Path dir;

    @Test
    void fixtureBinEqualsSafetensorsExactly() {
        try (TorchWeights bin = TorchWeights.open(CASE.resolve("pytorch_model.bin"));
                SafeTensors st = SafeTensors.open(CASE.resolve("model.safetensors"))) {
            assertEquals(st.names().stream().sorted().toList(), bin.keys().stream().sorted().toList());
            for (String key : st.names()) {
                FloatTensor expected = st.floats(key);
                FloatTensor actual = bin.floats(key);
                assertArrayEquals(expected.shape(), actual.shape(), key);
                assertArrayEquals(bin.shape(key), actual.shape(), key);
                assertArrayEquals(expected.data(), actual.data(), key);
            }
        }
    }

    @Test
    void stridedViewsAndOffsetsBecomeContiguous() throws IOException {
        TorchArchive a = new TorchArchive().op(0x80, 2, '}', '(');
        a.str("t").tensor("FloatStorage", "0", 6, 0, new int[] {3, 2}, new int[] {1, 3});
        a.str("sliced").tensor("FloatStorage", "0", 6, 1, new int[] {2}, new int[] {2});
        a.str("broadcast").tensor("FloatStorage", "0", 6, 5, new int[] {2, 2}, new int[] {0, 0});
        a.str("scalar").tensor("FloatStorage", "0", 6, 4, new int[0], new int[0]);
        a.str("empty").tensor("FloatStorage", "0", 6, 0, new int[] {0, 3}, new int[] {3, 1});
        a.op('u', '.').entry("archive/data/0", TorchArchive.floats(ByteOrder.LITTLE_ENDIAN, 0, 1, 2, 3, 4, 5));
        try (TorchWeights w = TorchWeights.open(a.write(dir.resolve("v.bin")))) {
            assertEquals(List.of("t", "sliced", "broadcast", "scalar", "empty"), w.keys());
            assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, w.floats("t").data());
            assertArrayEquals(new int[] {3, 2}, w.floats("t").shape());
            assertArrayEquals(new float[] {1, 3}, w.floats("sliced").data());
            assertArrayEquals(new float[] {5, 5, 5, 5}, w.floats("broadcast").data());
            assertArrayEquals(new float[] {4}, w.floats("scalar").data());
            assertArrayEquals(new int[] {0, 3}, w.floats("empty").shape());
        }
    }

    @Test
    void otherStorageTypesParametersAndBigEndian() throws IOException {
        TorchArchive a = new TorchArchive().op(0x80, 2, '}', '(');
        a.str("d").tensor("DoubleStorage", "d", 2, 0, new int[] {2}, new int[] {1});
        a.str("h").tensor("HalfStorage", "h", 1, 0, new int[] {1}, new int[] {1});
        a.str("p").global("torch._utils", "_rebuild_parameter").op('(');
        a.tensor("FloatStorage", "f", 1, 0, new int[] {1}, new int[] {1}).op(0x88);
        a.global("collections", "OrderedDict").op(')', 'R', 't', 'R');
        a.str("ids").tensor("LongStorage", "l", 1, 0, new int[] {1}, new int[] {1});
        a.op('u', '.');
        a.entry("archive/byteorder", "big".getBytes(StandardCharsets.US_ASCII));
        a.entry("archive/data/d", ByteBuffer.allocate(16).putDouble(0.1).putDouble(-2).array());
        a.entry("archive/data/h", ByteBuffer.allocate(2).putShort(Float.floatToFloat16(0.5f)).array());
        a.entry("archive/data/f", TorchArchive.floats(ByteOrder.BIG_ENDIAN, 1.25f));
        a.entry("archive/data/l", new byte[8]);
        try (TorchWeights w = TorchWeights.open(a.write(dir.resolve("t.bin")))) {
            assertArrayEquals(new float[] {0.1f, -2f}, w.floats("d").data());
            assertArrayEquals(new float[] {0.5f}, w.floats("h").data());
            assertArrayEquals(new float[] {1.25f}, w.floats("p").data());
            LsgException e = assertThrows(LsgException.class, () -> w.floats("ids"));
            assertTrue(e.getMessage().contains("'ids'") && e.getMessage().contains("I64"), e.getMessage());
        }
    }

    private void assertRefused(TorchArchive archive, String... fragments) throws IOException {
        Path file = archive.write(dir.resolve("evil.bin"));
        LsgException e = assertThrows(LsgException.class, () -> TorchWeights.open(file).close());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "expected '" + f + "' in: " + e.getMessage());
        }
    }

    @Test
    void refusesOsSystem() throws IOException {
        Path marker = dir.resolve("pwned");
        TorchArchive a = new TorchArchive().op(0x80, 2).global("os", "system").str("touch " + marker).op(0x85, 'R', '.');
        assertRefused(a, "refusing global 'os.system'");
        assertTrue(Files.notExists(marker));
    }

    @Test
    void refusesPosixSystem() throws IOException {
        assertRefused(new TorchArchive().op(0x80, 2).global("posix", "system").str("id").op(0x85, 'R', '.'),
                "'posix.system'");
    }

    @Test
    void refusesBuiltinsEvalThroughStackGlobal() throws IOException {
        TorchArchive a = new TorchArchive().op(0x80, 4, 0x8c, 8).op("builtins".chars().toArray());
        a.op(0x8c, 4).op("eval".chars().toArray()).op(0x93).str("1+1").op(0x85, 'R', '.');
        assertRefused(a, "'builtins.eval'");
    }

    @Test
    void refusesTorchGlobalsOutsideTheAllowList() throws IOException {
        assertRefused(new TorchArchive().op(0x80, 2).global("torch", "load").op(')', 'R', '.'), "'torch.load'");
    }

    @Test
    void refusesCallingAStorageType() throws IOException {
        assertRefused(new TorchArchive().op(0x80, 2).global("torch", "FloatStorage").op(')', 'R', '.'),
                "refusing to call torch.FloatStorage");
    }

    @Test
    void refusesUnknownOpcodes() throws IOException {
        assertRefused(new TorchArchive().op(0x80, 2, 'i').op("os\nsystem\n".chars().toArray()).op('.'),
                "opcode 0x69 ('i')");
        assertRefused(new TorchArchive().op(0x80, 2, 0x81, '.'), "opcode 0x81");
    }

    @Test
    void refusesNonTensorValuesAndBadViews() throws IOException {
        assertRefused(new TorchArchive().op(0x80, 2, '}').str("k").integer(3).op('s', '.'),
                "entry 'k'", "not a tensor");
        TorchArchive past = new TorchArchive().op(0x80, 2, '}').str("w")
                .tensor("FloatStorage", "0", 4, 2, new int[] {3}, new int[] {1}).op('s', '.');
        assertRefused(past, "reaches element 5", "has 4");
    }

    @Test
    void truncatedPickleIsAnError() throws IOException {
        assertRefused(new TorchArchive().op(0x80, 2, '}').str("w").op('X', 0xff, 0, 0), "truncated");
    }

    @Test
    void truncatedZipIsAnError() throws IOException {
        byte[] bytes = Files.readAllBytes(CASE.resolve("pytorch_model.bin"));
        Path file = Files.write(dir.resolve("cut.bin"), Arrays.copyOf(bytes, bytes.length / 2));
        LsgException e = assertThrows(LsgException.class, () -> TorchWeights.open(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void missingOrShortStorageEntryIsAnError() throws IOException {
        TorchArchive missing = new TorchArchive().op(0x80, 2, '}').str("w")
                .tensor("FloatStorage", "7", 2, 0, new int[] {2}, new int[] {1}).op('s', '.');
        assertRefused(missing, "tensor 'w'", "archive/data/7", "missing");
        TorchArchive shortEntry = new TorchArchive().op(0x80, 2, '}').str("w")
                .tensor("FloatStorage", "7", 2, 0, new int[] {2}, new int[] {1}).op('s', '.')
                .entry("archive/data/7", new byte[4]);
        assertRefused(shortEntry, "tensor 'w'", "4 bytes, expected 8");
    }
}
