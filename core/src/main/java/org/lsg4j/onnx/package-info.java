/**
 * Importing ONNX exports of Hugging Face models into plain checkpoint folders, without ONNX Runtime
 * or a protobuf library.
 *
 * <p>{@link org.lsg4j.onnx.OnnxModel} decodes the ONNX protobuf (memory-mapped, every length checked
 * before it is used); {@link org.lsg4j.onnx.OnnxBertImport} recovers a {@code BertModel}'s weights and
 * config from such a graph and writes config.json, model.safetensors and the tokenizer files. This is
 * its own package rather than part of {@code io} because it is a conversion from a foreign format into
 * a checkpoint folder (reader, graph mapping, folder writer), built on {@code io}'s safetensors writer.
 */
package org.lsg4j.onnx;
