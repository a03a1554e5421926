package org.lsg4j.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.lsg4j.io.Checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The data.pkl of a pytorch_model.bin: the fuzzed bytes are the pickle of an archive whose
 * storages {@code data/0} .. {@code data/3} hold 64 float32 values each; every tensor it builds is
 * read.
 */
class TorchPickleFuzzTest {
    private static final Path DIR = Fuzzing.scratch("torch-pickle");

    @FuzzTest(maxDuration = "5s")
    void pickle(byte[] data) {
        Fuzzing.write(DIR, "pytorch_model.bin", archive(data));
        Fuzzing.run(() -> {
            try (Checkpoint c = Checkpoint.open(DIR)) {
                for (String key : c.keys()) {
                    c.shape(key);
                    c.get(key);
                }
            }
        });
        Fuzzing.assertOnly(DIR, Set.of("pytorch_model.bin"));
    }

    /** A torch zip archive (stored entries, as torch writes them) with {@code pickle} as its data.pkl. */
    static byte[] archive(byte[] pickle) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            stored(zip, "archive/data.pkl", pickle);
            ByteBuffer floats = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < 64; i++) {
                floats.putFloat(i * 0.25f - 4);
            }
            for (int s = 0; s < 4; s++) {
                stored(zip, "archive/data/" + s, floats.array());
            }
            stored(zip, "archive/version", "3\n".getBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }
}
