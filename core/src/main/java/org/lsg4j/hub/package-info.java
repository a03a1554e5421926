/**
 * Finding models on the Hugging Face Hub and in its local cache.
 *
 * <p>The cache is shared with the Python {@code huggingface_hub} library: lsg4j reads the folders
 * Python wrote and writes folders Python can read. Start with {@link org.lsg4j.hub.Hub#resolve}.
 */
package org.lsg4j.hub;
