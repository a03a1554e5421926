package org.lsg4j.hub;

/**
 * Told how far the download of each file has got. Calls for one file come from one thread, but
 * different files may be reported from different threads.
 */
public interface ProgressListener {
    /** A listener that ignores everything. */
    ProgressListener NONE = new ProgressListener() {
        @Override
        public void progress(String file, long done, long total) {
        }

        @Override
        public void finished(String file) {
        }
    };

    /**
     * Reports bytes received so far, including bytes kept from an earlier, interrupted download.
     *
     * @param file the file's name in the repository
     * @param done bytes on disk so far
     * @param total the file's size, or -1 when the server did not say
     */
    void progress(String file, long done, long total);

    /** Reports that the file is complete and in the cache. */
    void finished(String file);
}
