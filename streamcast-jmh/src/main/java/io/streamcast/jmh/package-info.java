/**
 * JMH micro-benchmarks of the plain-Java model code: the anomaly scorer, the network step, the
 * forecast combiner and the output encoder, each per reading (or per series-step) on one thread.
 * Run on purpose with {@code ./bin/streamcast-jmh} (docs/performance.md, "Micro-benchmarks (JMH)");
 * the build compiles them and never runs them. The whole job under load is {@code ./bin/streamcast
 * bench} (module streamcast-bench).
 */
package io.streamcast.jmh;
