/**
 * Checkpoint storage and recovery shared by the Chipwatch jobs: where checkpoints go, how many are kept, and which
 * one a restarted job resumes from.
 */
package io.chipwatch.jobs.checkpoint;
