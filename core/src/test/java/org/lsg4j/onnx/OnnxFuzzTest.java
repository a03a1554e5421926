package org.lsg4j.onnx;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.lsg4j.fuzz.Fuzzing;

/** An ONNX file: the bounded protobuf reader, then the mapping of its graph onto a BERT checkpoint. */
class OnnxFuzzTest {
    @FuzzTest(maxDuration = "5s")
    void onnx(byte[] data) {
        Fuzzing.run(() -> {
            try (OnnxModel model = OnnxModel.parse(data, "fuzz.onnx")) {
                BertGraphMapper.map(model.graph(), "fuzz.onnx");
            }
        });
    }
}
