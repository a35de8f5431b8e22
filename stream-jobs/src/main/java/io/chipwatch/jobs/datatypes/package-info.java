/**
 * The values that flow between the operators of the stream jobs. All are Java records that Flink
 * serializes with its own POJO serializer (no Kryo): keep every field a Flink-known type when adding one.
 */
package io.chipwatch.jobs.datatypes;
