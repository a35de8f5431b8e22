/**
 * Small named Flink functions, one concern each, that the jobs wire together. Each is unit-tested on its own
 * with Flink's operator test harnesses.
 */
package io.chipwatch.jobs.functions;
