package org.lsg4j.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The one SparkSession of the test JVM, shared by every test class (starting Spark takes seconds):
 * local mode with 2 task threads, each task tried at most twice ({@code local[2,2]}), bound to
 * the loopback address, no web UI. Spark stops it when the JVM exits.
 */
final class SharedSpark {
    private static SparkSession session;

    private SharedSpark() {
    }

    static synchronized SparkSession get() {
        if (session == null) {
            session = SparkSession.builder()
                    .master("local[2,2]")
                    .appName("lsg4j-spark-tests")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.ui.enabled", false)
                    .config("spark.sql.shuffle.partitions", 2)
                    .getOrCreate();
        }
        return session;
    }
}
