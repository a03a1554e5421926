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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsg4j.LsgException;

/** Hand-built safetensors files: every malformed header is refused with a message naming the problem. */
class SafeTensorsValidationTest {
    @TempDir
    Path dir;

    /** Writes an 8-byte length, the header text, then {@code dataBytes} zero bytes. */
    private Path file(String header, int dataBytes) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(json.length).put(json);
        Path file = dir.resolve("x.safetensors");
        Files.write(file, buf.array());
        return file;
    }

    private static String entry(String name, String body) {
        return "\"" + name + "\":" + body;
    }

    private void assertRefused(Path file, String... fragments) {
        LsgException e = assertThrows(LsgException.class, () -> SafeTensors.open(file).close());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "expected '" + f + "' in: " + e.getMessage());
        }
        assertEquals(-1, e.getMessage().indexOf('\n'), "one line");
    }

    @Test
    void fileShorterThanEightBytes() throws IOException {
        Path file = dir.resolve("short.safetensors");
        Files.write(file, new byte[] {1, 2, 3});
        assertRefused(file, "3 bytes");
    }

    @Test
    void headerLengthPastEndOfFile() throws IOException {
        Path file = dir.resolve("long.safetensors");
        Files.write(file, ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(100).array());
        assertRefused(file, "100", "past the end");
    }

    @Test
    void absurdHeaderLength() throws IOException {
        Path file = dir.resolve("huge.safetensors");
        Files.write(file, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1L).array());
        assertRefused(file, "18446744073709551615", "not plausible");
    }

    @Test
    void headerNotJson() throws IOException {
        assertRefused(file("{\"a\" 1}", 0), "not valid JSON");
        assertRefused(file("{\"a\": {\"dtype\": \"F32\", \"shape\": [1, 2", 0), "not valid JSON");
    }

    @Test
    void headerNotObject() throws IOException {
        assertRefused(file("[1, 2]   ", 0), "JSON object", "[1, 2]");
        assertRefused(file("", 0), "JSON object", "empty");
    }

    @Test
    void trailingContentAfterTheHeaderObject() throws IOException {
        assertRefused(file("{}{}", 0), "content after its JSON object");
        assertRefused(file("{} x", 0), "not valid JSON");
        assertRefused(file("{\u0000 \u0000}\u0000(", 0), "not valid JSON");   // zero bytes do not make it UTF-16
        try (SafeTensors st = SafeTensors.open(file("{}  \n ", 0))) {
            assertEquals(0, st.names().size());
        }
    }

    @Test
    void invalidUtf8InANameIsRefused() throws IOException {
        byte[] json = "{\"w\u00e9\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}}".getBytes(StandardCharsets.UTF_8);
        json[3] = (byte) 0xff;   // the second byte of é
        ByteBuffer buf = ByteBuffer.allocate(8 + json.length).order(ByteOrder.LITTLE_ENDIAN);
        Path file = dir.resolve("utf8.safetensors");
        Files.write(file, buf.putLong(json.length).put(json).array());
        assertRefused(file, "invalid UTF-8", "byte 3");
    }

    @Test
    void tooManyEntriesAreRefusedWhileReading() throws IOException {
        StringBuilder header = new StringBuilder("{");
        for (int i = 0; i <= Limits.TENSORS; i++) {
            header.append(i == 0 ? "" : ",").append(entry("t" + i, "{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}"));
        }
        assertRefused(file(header.append('}').toString(), 0), "more than " + Limits.TENSORS + " tensors");
    }

    @Test
    void tooManyDimensions() throws IOException {
        String ones = "1,".repeat(64) + "1";
        assertRefused(file("{" + entry("w", "{\"dtype\":\"F32\",\"shape\":[" + ones + "],\"data_offsets\":[0,4]}") + "}", 4),
                "'w'", "more than 64 dimensions");
    }

    @Test
    void duplicateKey() throws IOException {
        String t = "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}";
        assertRefused(file("{" + entry("w", t) + "," + entry("w", t) + "}", 4), "Duplicate", "w");
    }

    @Test
    void missingFields() throws IOException {
        assertRefused(file("{" + entry("w", "{\"shape\":[1],\"data_offsets\":[0,4]}") + "}", 4), "'w'", "dtype");
        assertRefused(file("{" + entry("w", "{\"dtype\":\"F32\",\"data_offsets\":[0,4]}") + "}", 4), "'w'", "shape");
        assertRefused(file("{" + entry("w", "{\"dtype\":\"F32\",\"shape\":[1]}") + "}", 4), "'w'", "data_offsets");
    }

    @Test
    void wrongJsonTypes() throws IOException {
        assertRefused(file("{" + entry("w", "[1]") + "}", 0), "'w'", "object");
        assertRefused(file("{" + entry("w", "{\"dtype\":4,\"shape\":[1],\"data_offsets\":[0,4]}") + "}", 4),
                "'w'", "dtype must be a string");
        assertRefused(file("{" + entry("w", "{\"dtype\":\"F32\",\"shape\":\"1\",\"data_offsets\":[0,4]}") + "}", 4),
                "'w'", "shape must be a JSON array");
        assertRefused(file("{" + entry("w", "{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}") + "}", 4),
                "'w'", "shape[0]");
        assertRefused(file("{" + entry("w", "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[\"0\",4]}") + "}", 4),
                "'w'", "data_offsets");
        assertRefused(file("{\"__metadata__\":{\"format\":1}}", 0), "__metadata__", "format");
    }

    @Test
    void unknownDtype() throws IOException {
        assertRefused(file("{" + entry("w", "{\"dtype\":\"F8\",\"shape\":[1],\"data_offsets\":[0,1]}") + "}", 1),
                "'w'", "unknown dtype 'F8'");
    }

    @Test
    void negativeDimension() throws IOException {
        assertRefused(file("{" + entry("w", "{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}") + "}", 4),
                "'w'", "negative");
    }

    @Test
    void offsetsNotBeginEnd() throws IOException {
        assertRefused(file("{" + entry("w", "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4]}") + "}", 8),
                "'w'", "[begin, end]");
        assertRefused(file("{" + entry("w", "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,4]}") + "}", 8),
                "'w'", "begin 8 is after end 4");
    }

    @Test
    void endPastDataSection() throws IOException {
        assertRefused(file("{" + entry("w", "{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}") + "}", 4),
                "'w'", "end 8", "4 bytes");
    }

    @Test
    void byteCountDoesNotMatchShape() throws IOException {
        assertRefused(file("{" + entry("w", "{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,20]}") + "}", 24),
                "'w'", "20 bytes", "expected 24", "F32[2, 3]");
    }

    @Test
    void overlappingTensors() throws IOException {
        String header = "{" + entry("a", "{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}") + ","
                + entry("b", "{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}") + "}";
        assertRefused(file(header, 12), "'b'", "overlaps", "'a'");
    }

    @Test
    void gapsAndTrailingBytesAreRefused() throws IOException {
        String gap = "{" + entry("a", "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}") + ","
                + entry("b", "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}") + "}";
        assertRefused(file(gap, 12), "'b'", "starts at byte 8", "[4, 8)", "contiguous");
        assertRefused(file("{" + entry("a", "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}") + "}", 8),
                "'a'", "[0, 4)");
        assertRefused(file("{" + entry("a", "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}") + "}", 9),
                "9 bytes", "end at byte 4");
        assertRefused(file("{}", 3), "3 bytes", "end at byte 0");
    }

    @Test
    void otherDtypesAreRead() throws IOException {
        String header = "{" + entry("h", "{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[8,12]}") + ","
                + entry("pad", "{\"dtype\":\"U8\",\"shape\":[8],\"data_offsets\":[0,8]}") + ","
                + entry("bf", "{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[12,14]}") + ","
                + entry("pad2", "{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[14,16]}") + ","
                + entry("d", "{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[16,24]}") + ","
                + entry("i8", "{\"dtype\":\"I8\",\"shape\":[1],\"data_offsets\":[24,25]}") + ","
                + entry("u8", "{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[25,26]}") + ","
                + entry("b", "{\"dtype\":\"BOOL\",\"shape\":[1],\"data_offsets\":[26,27]}") + ","
                + entry("pad3", "{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[27,28]}") + ","
                + entry("i16", "{\"dtype\":\"I16\",\"shape\":[1],\"data_offsets\":[28,30]}") + ","
                + entry("pad4", "{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[30,32]}") + ","
                + entry("i32", "{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[32,36]}") + "}";
        Path file = file(header, 36);
        byte[] all = Files.readAllBytes(file);
        ByteBuffer data = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).position(all.length - 36).slice()
                .order(ByteOrder.LITTLE_ENDIAN);
        data.putShort(8, Float.floatToFloat16(1.5f)).putShort(10, Float.floatToFloat16(-65504f));
        data.putShort(12, (short) (Float.floatToRawIntBits(-2.75f) >>> 16));
        data.putDouble(16, 0.1);
        data.put(24, (byte) -3).put(25, (byte) 200).put(26, (byte) 5);
        data.putShort(28, (short) -300).putInt(32, -70000);
        Files.write(file, all);
        try (SafeTensors st = SafeTensors.open(file)) {
            assertArrayEquals(new float[] {1.5f, -65504f}, st.floats("h").data());
            assertArrayEquals(new float[] {-2.75f}, st.floats("bf").data());
            assertArrayEquals(new float[] {0.1f}, st.floats("d").data());
            assertArrayEquals(new long[] {-3}, st.longs("i8").data());
            assertArrayEquals(new long[] {200}, st.longs("u8").data());
            assertArrayEquals(new long[] {1}, st.longs("b").data());
            assertArrayEquals(new long[] {-300}, st.longs("i16").data());
            assertArrayEquals(new long[] {-70000}, st.longs("i32").data());
        }
    }
}
